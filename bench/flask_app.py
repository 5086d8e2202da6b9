# The original app the host served before it was lost: Flask answering "Hello World from BenchSci!".
# bench/app-throughput.sh serves it with gunicorn to compare against the Vert.x app.
from flask import Flask

app = Flask(__name__)


@app.route("/")
@app.route("/hello")
def hello():
    return "Hello World from BenchSci!"
