namespace GpDaemon.Connection;

internal sealed class NotConnectedException() : Exception("not connected");
