using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace GpControl.Tests;

/// <summary>
/// The records both sides read and write (through <see cref="ControlJsonContext"/>) carry exactly the fields the
/// interface descriptions promise to generic varlink tools: renaming a record's member renames it on the wire, for
/// the daemon and gpctl alike, and this is where that is caught.
/// </summary>
public sealed partial class InterfaceContractTests
{
    private static readonly ControlJsonContext Json = ControlJsonContext.Default;

    /// <summary>Every method's parameters and reply, every error and every type, with the record that carries it.</summary>
    public static TheoryData<string, string, string, JsonTypeInfo> Records => new()
    {
        { VpnInterface.Description, "method GetStatus", "in", Json.EmptyParameters },
        { VpnInterface.Description, "method GetStatus", "out", Json.StatusReply },
        { VpnInterface.Description, "method Connect", "in", Json.ConnectParameters },
        { VpnInterface.Description, "method Connect", "out", Json.StatusReply },
        { VpnInterface.Description, "method SubmitInput", "in", Json.SubmitInputParameters },
        { VpnInterface.Description, "method SubmitInput", "out", Json.EmptyParameters },
        { VpnInterface.Description, "method Disconnect", "in", Json.DisconnectParameters },
        { VpnInterface.Description, "method Disconnect", "out", Json.DisconnectReply },
        { VpnInterface.Description, "method Watch", "in", Json.EmptyParameters },
        { VpnInterface.Description, "method Watch", "out", Json.StatusReply },
        { VpnInterface.Description, "type Status", "in", Json.VpnStatus },
        { VpnInterface.Description, "type Prompt", "in", Json.Prompt },
        { VpnInterface.Description, "type Gateway", "in", Json.Gateway },
        { VpnInterface.Description, "error AlreadyConnected", "in", Json.AlreadyConnectedError },
        { VpnInterface.Description, "error AuthenticationFailed", "in", Json.MessageError },
        { VpnInterface.Description, "error PortalError", "in", Json.MessageError },
        { VpnInterface.Description, "error ConnectFailed", "in", Json.MessageError },
        { VpnInterface.Description, "error PermissionDenied", "in", Json.PermissionDeniedError },
        { VpnInterface.Description, "error NotConnected", "in", Json.EmptyParameters },
        { VpnInterface.Description, "error NoSuchPrompt", "in", Json.NoSuchPromptError },
        { VpnInterface.Description, "error InvalidInput", "in", Json.InvalidInputError },
        { VarlinkService.Description, "method GetInfo", "in", Json.EmptyParameters },
        { VarlinkService.Description, "method GetInfo", "out", Json.ServiceInfo },
        { VarlinkService.Description, "method GetInterfaceDescription", "in", Json.InterfaceDescriptionParameters },
        { VarlinkService.Description, "method GetInterfaceDescription", "out", Json.InterfaceDescription },
        { VarlinkService.Description, "error InterfaceNotFound", "in", Json.InterfaceNotFoundError },
        { VarlinkService.Description, "error MethodNotFound", "in", Json.MethodNotFoundError },
        { VarlinkService.Description, "error InvalidParameter", "in", Json.InvalidParameterError },
    };

    [Theory]
    [MemberData(nameof(Records))]
    public void A_record_has_the_fields_of_its_description(string description, string member, string direction, JsonTypeInfo record)
    {
        var declared = Declarations(description);
        Assert.True(declared.ContainsKey(member), $"{member} is not in the interface description");
        string[] expected = direction == "in" ? declared[member].In : declared[member].Out;

        // A [JsonIgnore] property (a convenience such as VpnStatus.StateValue) is listed without a getter: never written.
        string[] actual = record.Properties.Where(p => p.Get is not null).Select(p => p.Name).ToArray();

        Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_method_error_and_type_of_io_gpdaemon_Vpn_has_its_record()
    {
        var covered = Records.Select(row => (string)row[1]).ToHashSet();

        string[] missing = Declarations(VpnInterface.Description).Keys.Where(k => !covered.Contains(k)).ToArray();

        Assert.True(missing.Length == 0, "No record for: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_description_reader_reads_fields_across_lines_and_skips_comments()
    {
        var declared = Declarations("""
            # method Hidden(a: string) -> ()
            interface com.example.Test
            type T (
              one: string,
              two: ?[]string
            )
            method M(x: ?int) -> (y: bool, z: ?T)
            error E ()
            """);

        Assert.Equal(["type T", "method M", "error E"], declared.Keys);
        Assert.Equal(["one", "two"], declared["type T"].In);
        Assert.Equal(["x"], declared["method M"].In);
        Assert.Equal(["y", "z"], declared["method M"].Out);
        Assert.Empty(declared["error E"].In);
    }

    /// <summary>"method Connect", "error NotConnected", "type Status"... with their field names (a method's: in and out).</summary>
    private static Dictionary<string, (string[] In, string[] Out)> Declarations(string description)
    {
        string code = Comment().Replace(description, "");
        return Declaration().Matches(code).ToDictionary(
            m => m.Groups["kind"].Value + " " + m.Groups["name"].Value,
            m => (Fields(m.Groups["in"].Value), Fields(m.Groups["out"].Value)));
    }

    private static string[] Fields(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(f => f.Split(':')[0].Trim()).ToArray();

    [GeneratedRegex(@"#[^\n]*")]
    private static partial Regex Comment();

    [GeneratedRegex(@"\b(?<kind>method|error|type)\s+(?<name>\w+)\s*\((?<in>[^()]*)\)(?:\s*->\s*\((?<out>[^()]*)\))?")]
    private static partial Regex Declaration();
}
