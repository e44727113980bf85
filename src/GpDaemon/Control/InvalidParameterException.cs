namespace GpDaemon.Control;

internal sealed class InvalidParameterException(string parameter) : Exception($"invalid parameter '{parameter}'")
{
    public string Parameter { get; } = parameter;
}
