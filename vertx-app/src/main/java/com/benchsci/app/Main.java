package com.benchsci.app;

/** Placeholder entry point; the app issue replaces it. */
public final class Main {
  public static void main(String[] args) {
    System.out.println("Hello World from BenchSci!");
  }
}
