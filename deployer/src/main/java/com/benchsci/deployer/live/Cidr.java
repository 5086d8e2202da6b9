package com.benchsci.deployer.live;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An address range as EC2 keeps it: the network address and the prefix length, so {@code 10.17.0.0/15} in a
 * template is the rule EC2 lists as {@code 10.16.0.0/15}.
 */
final class Cidr {

  private Cidr() {}

  /** The canonical form of {@code cidr}, or {@code cidr} itself when it is not an address range. */
  static String canonical(String cidr) {
    int slash = cidr.indexOf('/');
    String address = slash < 0 ? cidr : cidr.substring(0, slash);
    if (!address.matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
      return cidr; // not a literal address: nothing is looked up
    }
    try {
      byte[] bytes = InetAddress.getByName(address).getAddress();
      int bits = bytes.length * 8;
      int prefix = slash < 0 ? bits : Integer.parseInt(cidr.substring(slash + 1));
      if (prefix < 0 || prefix > bits) {
        return cidr;
      }
      BigInteger value = new BigInteger(1, bytes);
      BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
          .shiftRight(prefix).not().and(BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE));
      byte[] network = value.and(mask).toByteArray();
      byte[] fixed = new byte[bytes.length];
      int copy = Math.min(network.length, fixed.length);
      System.arraycopy(network, network.length - copy, fixed, fixed.length - copy, copy);
      return InetAddress.getByAddress(fixed).getHostAddress().replaceFirst("(^|:)(0(:|$)){2,}", "::") + "/" + prefix;
    } catch (UnknownHostException | NumberFormatException e) {
      return cidr;
    }
  }
}
