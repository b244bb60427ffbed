package dev.vigil.kernel.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** Socket fds from the probe's encodings, and addresses as Falco prints them. */
class SocketsTest {
  private static String ip(String literal) throws UnknownHostException {
    return Sockets.ip(InetAddress.getByName(literal).getAddress());
  }

  @Test
  void ipv6AddressesAreWrittenAsInetNtopWritesThem() throws UnknownHostException {
    assertThat(ip("::1")).isEqualTo("::1");
    assertThat(ip("::")).isEqualTo("::");
    assertThat(ip("2001:DB8:0:0:0:0:0:1")).isEqualTo("2001:db8::1");
    assertThat(ip("fe80:0:0:0:1:2:3:4")).isEqualTo("fe80::1:2:3:4");
    assertThat(ip("1:0:0:2:0:0:0:3")).as("the longest run").isEqualTo("1:0:0:2::3");
    assertThat(ip("1:0:0:2:0:0:3:4")).as("the first of equal runs").isEqualTo("1::2:0:0:3:4");
    assertThat(ip("1:0:2:3:4:5:6:7")).as("a single zero group").isEqualTo("1:0:2:3:4:5:6:7");
    assertThat(Sockets.ip(mapped())).isEqualTo("::ffff:10.0.0.1");
    assertThat(ip("203.0.113.10")).isEqualTo("203.0.113.10");
  }

  private static byte[] mapped() {
    byte[] a = new byte[16];
    a[10] = (byte) 0xff;
    a[11] = (byte) 0xff;
    a[12] = 10;
    a[15] = 1;
    return a;
  }

  @Test
  void anIpv6TupleNamesBothEnds() {
    byte[] loopback = new byte[16];
    loopback[15] = 1;
    byte[] tuple = new byte[37];
    tuple[0] = 10;
    System.arraycopy(loopback, 0, tuple, 1, 16);
    tuple[17] = (byte) (39682 & 0xff);
    tuple[18] = (byte) (39682 >> 8);
    System.arraycopy(loopback, 0, tuple, 19, 16);
    tuple[35] = (byte) (9999 & 0xff);
    tuple[36] = (byte) (9999 >> 8);
    FdInfo f = java.util.Objects.requireNonNull(Sockets.fromTuple(3, tuple, null, false));
    assertThat(f.kind()).isEqualTo(FdInfo.Kind.IPV6);
    assertThat(f.name()).isEqualTo("::1:39682->::1:9999");
  }
}
