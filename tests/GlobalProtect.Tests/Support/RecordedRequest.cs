namespace GlobalProtect.Tests.Support;

/// <summary>A request as the fake server saw it.</summary>
internal sealed record RecordedRequest(
    string Method,
    string Host,
    int Port,
    string Path,
    string Query,
    string? ContentType,
    string? UserAgent,
    string? Cookie,
    string Body)
{
    public string Authority => Port == 443 ? Host : $"{Host}:{Port}";

    /// <summary>The form fields in order, decoded.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> FormFields => FormCodec.Decode(Body);

    public string? Field(string name) => FormFields.FirstOrDefault(f => f.Key == name).Value;

    public bool Has(string name) => FormFields.Any(f => f.Key == name);
}
