using System.Text.Json;
using GpControl;
using GpControl.Varlink;

namespace Reliability.Tests.ControlSocket;

/// <summary>
/// What the daemon must do with a fuzz case, from the contract (README.md, Control interface): a message over the cap,
/// unterminated, not UTF-8, not JSON or not a call object closes the connection; a well-formed call gets a reply.
/// Also decides which cases may be sent at all: a fuzzed Connect may only name the closed local port.
/// </summary>
internal static class FuzzOracle
{
    public static (Expectation Expect, string Why) Predict(FuzzCase fuzzCase, int maxMessageBytes, Action<string> note)
    {
        byte[] bytes = fuzzCase.Bytes;
        int nul = Array.IndexOf(bytes, (byte)0);
        if (nul < 0)
        {
            return (Expectation.Close, bytes.Length > maxMessageBytes ? "over the cap without a NUL" : "never terminated");
        }
        if (nul > maxMessageBytes)
        {
            return (Expectation.Close, "first frame over the cap");
        }
        VarlinkCall call;
        try
        {
            call = VarlinkCall.Parse(bytes.AsMemory(0, nul));
        }
        catch (VarlinkProtocolException ex)
        {
            return (Expectation.Close, ex.Message);
        }
        catch (Exception ex)
        {
            // Still a message to close on, but the parser should have said so itself (see the bug list in COVERAGE.md).
            note($"VarlinkCall.Parse threw {ex.GetType().Name} instead of VarlinkProtocolException: {ex.Message}");
            return (Expectation.Close, "unreadable call");
        }
        if (call.Oneway)
        {
            return (Expectation.Either, "oneway");
        }
        bool more = nul + 1 < bytes.Length;
        if (more && (call.More || call.Method is VpnInterface.Connect or VpnInterface.Disconnect))
        {
            return (Expectation.Either, "an answer that may wait, with more bytes behind it");
        }
        if (fuzzCase.HalfClose && (call.More || call.Method == VpnInterface.Disconnect))
        {
            // The daemon takes end-of-stream for a hang-up and drops a call still in progress (see COVERAGE.md).
            if (!call.More)
            {
                note("a Disconnect from a client that shut down its sending side may get no reply");
            }
            return (Expectation.Either, "an answer that may wait, from a client that shut down its sending side");
        }
        if (HasUndecodableString(call.Parameters))
        {
            note($"a parameter string with an invalid escape closed the connection instead of InvalidParameter ({call.Method})");
            return (Expectation.Either, "known bug: undecodable parameter string");
        }
        return (Expectation.Reply, "a well-formed call");
    }

    /// <summary>
    /// True unless some frame the daemon would run is a Connect to anywhere but the closed local port (or the config's
    /// default, which is that port): fuzzing must never make the daemon reach out beyond 127.0.0.1.
    /// </summary>
    public static bool IsSafe(FuzzCase fuzzCase, int maxMessageBytes)
    {
        byte[] bytes = fuzzCase.Bytes;
        int start = 0;
        for (int nul = Array.IndexOf(bytes, (byte)0); nul >= 0; nul = Array.IndexOf(bytes, (byte)0, start))
        {
            if (nul - start <= maxMessageBytes && !IsSafeFrame(bytes.AsMemory(start, nul - start)))
            {
                return false;
            }
            start = nul + 1;
        }
        return true;
    }

    private static bool IsSafeFrame(ReadOnlyMemory<byte> frame)
    {
        VarlinkCall call;
        try
        {
            call = VarlinkCall.Parse(frame);
        }
        catch (Exception)
        {
            return true; // not a call: nothing runs
        }
        if (call.Method != VpnInterface.Connect || call.Parameters.ValueKind != JsonValueKind.Object)
        {
            return true;
        }
        foreach (JsonProperty property in call.Parameters.EnumerateObject())
        {
            if (property.Name == "portal" && property.Value.ValueKind == JsonValueKind.String && !IsSafePortal(property.Value))
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsSafePortal(JsonElement value)
    {
        try
        {
            return value.GetString() == VarlinkFuzzer.SafePortal;
        }
        catch (InvalidOperationException)
        {
            return true; // undecodable: the daemon cannot use it either
        }
    }

    private static bool HasUndecodableString(JsonElement parameters)
    {
        if (parameters.ValueKind != JsonValueKind.Object)
        {
            return false;
        }
        foreach (JsonProperty property in parameters.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.String)
            {
                try
                {
                    _ = property.Value.GetString();
                }
                catch (InvalidOperationException)
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>Null when the first reply is a well-formed varlink reply; otherwise what is wrong with it.</summary>
    public static string? CheckReply(byte[] reply, int daemonPid)
    {
        if (!System.Text.Unicode.Utf8.IsValid(reply))
        {
            return "the reply is not UTF-8";
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(reply);
        }
        catch (JsonException ex)
        {
            return "the reply is not JSON: " + ex.Message;
        }
        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return "the reply is not an object";
            }
            if (root.TryGetProperty("error", out JsonElement error))
            {
                if (error.ValueKind != JsonValueKind.String
                    || !(error.GetString()!.StartsWith("org.varlink.service.", StringComparison.Ordinal) || error.GetString()!.StartsWith("io.gpdaemon.Vpn.", StringComparison.Ordinal)))
                {
                    return "the error is not a varlink error name: " + error;
                }
                return null;
            }
            if (!root.TryGetProperty("parameters", out JsonElement parameters) || parameters.ValueKind != JsonValueKind.Object)
            {
                return "a reply without parameters";
            }
            if (parameters.TryGetProperty("status", out JsonElement status)
                && (!status.TryGetProperty("daemon_pid", out JsonElement pid) || pid.GetInt32() != daemonPid
                    || !status.TryGetProperty("state", out JsonElement state) || !Enum.TryParse<VpnState>(state.GetString(), out _)))
            {
                return "a status reply with a wrong daemon_pid or an unknown state";
            }
            return null;
        }
    }
}
