namespace GpDaemon.Backend;

internal enum ConnectSource
{
    Client,
    Autoconnect,
}
