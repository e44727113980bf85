namespace GpTunnel.Tests.RealOpenConnect;

/// <summary>A test of the real openconnect against the fake GlobalProtect server; skipped (with the reason)
/// only where either is missing.</summary>
public sealed class RealOpenConnectFactAttribute : FactAttribute
{
    public RealOpenConnectFactAttribute(bool needsTunDevice = false)
    {
        if (!File.Exists("/usr/sbin/openconnect"))
            Skip = "openconnect is not installed (apt install openconnect)";
        else if (FakeGlobalProtect.Locate() is null)
            Skip = "fake-globalprotect not found: set FAKE_GLOBALPROTECT, GPDAEMON_OUT or OUT, or build it to <repo>/out/fake-globalprotect";
        else if (needsTunDevice && (Tmds.Linux.LibC.geteuid() != 0 || !File.Exists("/dev/net/tun")))
            Skip = "creating a tun device needs root and /dev/net/tun";
    }
}
