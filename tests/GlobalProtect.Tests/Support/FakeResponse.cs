namespace GlobalProtect.Tests.Support;

internal sealed record FakeResponse(int Status, string Body, string ContentType = "application/xml; charset=UTF-8")
{
    public IReadOnlyList<string> SetCookies { get; init; } = [];

    public static FakeResponse Xml(string body) => new(200, body);

    public static FakeResponse Text(string body) => new(200, body, "text/html; charset=UTF-8");
}
