namespace GpDaemon.Config;

internal sealed class ConfigException(string message) : Exception(message);
