namespace GpDaemon.Connection;

internal enum ConnectSource
{
    Client,
    Autoconnect,
}
