using FakeGlobalProtect.Tunnel;

namespace FakeGlobalProtect.Tests;

public sealed class TunnelFrameTests
{
    [Fact]
    public void Data_frames_have_the_gp_header()
    {
        var frame = TunnelFrame.Encode(TunnelFrame.EtherTypeIpv4, [0x45, 1, 2]);

        Assert.Equal(new byte[] { 0x1a, 0x2b, 0x3c, 0x4d, 0x08, 0x00, 0x00, 0x03, 1, 0, 0, 0, 0, 0, 0, 0, 0x45, 1, 2 }, frame);
    }

    [Fact]
    public void Keepalives_are_sixteen_bytes_of_magic_and_zeros()
    {
        Assert.Equal(new byte[] { 0x1a, 0x2b, 0x3c, 0x4d, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, TunnelFrame.Keepalive());
    }

    [Fact]
    public void Headers_are_read_back_and_bad_magic_is_refused()
    {
        var frame = TunnelFrame.Encode(TunnelFrame.EtherTypeIpv6, new byte[300]);

        Assert.True(TunnelFrame.TryReadHeader(frame, out var etherType, out var length));
        Assert.Equal(TunnelFrame.EtherTypeIpv6, etherType);
        Assert.Equal(300, length);

        frame[0] = 0x1b;
        Assert.False(TunnelFrame.TryReadHeader(frame, out _, out _));
        Assert.False(TunnelFrame.TryReadHeader(frame.AsSpan(0, 15), out _, out _));
    }
}
