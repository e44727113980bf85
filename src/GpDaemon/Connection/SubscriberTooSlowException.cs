namespace GpDaemon.Connection;

internal sealed class SubscriberTooSlowException() : Exception("the client did not read state changes fast enough");
