using System.Text.Json;

namespace GlobalProtect.Tests.Model;

public sealed class SavedSessionJsonTests
{
    private static readonly SavedSession Session = new(
        "vpn.example.com",
        "alice",
        "PC",
        null,
        [new GatewayInfo("US East", "gw1.example.com", 1), new GatewayInfo("gw2.example.com:4443", "gw2.example.com:4443", null)],
        new GatewayInfo("US East", "gw1.example.com", 1),
        new DateTimeOffset(2025, 3, 1, 12, 30, 0, TimeSpan.Zero),
        "authcookie=a&user=alice&computer=c");

    [Fact]
    public void Round_trips_through_the_source_generated_context()
    {
        var json = JsonSerializer.Serialize(Session, GlobalProtectJsonContext.Default.SavedSession);
        var back = JsonSerializer.Deserialize(json, GlobalProtectJsonContext.Default.SavedSession);

        Assert.NotNull(back);
        Assert.Equal(Session.Portal, back.Portal);
        Assert.Equal(Session.User, back.User);
        Assert.Equal(Session.PortalUserAuthCookie, back.PortalUserAuthCookie);
        Assert.Null(back.PortalPrelogonUserAuthCookie);
        Assert.Equal(Session.Gateways, back.Gateways);
        Assert.Equal(Session.Gateway, back.Gateway);
        Assert.Equal(Session.SavedAt, back.SavedAt);
        Assert.Equal(Session.OpenConnectCookie, back.OpenConnectCookie);
    }

    [Fact]
    public void Uses_snake_case_names_and_leaves_out_nulls()
    {
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(Session, GlobalProtectJsonContext.Default.SavedSession));
        var root = document.RootElement;

        Assert.Equal("PC", root.GetProperty("portal_user_auth_cookie").GetString());
        Assert.Equal("2025-03-01T12:30:00+00:00", root.GetProperty("saved_at").GetString());
        Assert.Equal("gw1.example.com", root.GetProperty("gateway").GetProperty("address").GetString());
        Assert.False(root.TryGetProperty("portal_prelogon_user_auth_cookie", out _));
        Assert.Equal(["name", "address", "priority"], root.GetProperty("gateway").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Reads_a_file_written_without_optional_fields()
    {
        const string json = """{"portal":"vpn.example.com","user":"bob","gateways":[],"saved_at":"2025-01-01T00:00:00Z"}""";

        var session = JsonSerializer.Deserialize(json, GlobalProtectJsonContext.Default.SavedSession);

        Assert.NotNull(session);
        Assert.Equal("bob", session.User);
        Assert.Null(session.PortalUserAuthCookie);
        Assert.Null(session.Gateway);
        Assert.Empty(session.Gateways);
    }
}
