using System.Text.Json;

namespace GpControl.Varlink;

/// <summary>One reply as the client sees it: parameters, or an error name with its parameters.</summary>
public sealed record VarlinkReply(string? Error, JsonElement Parameters, bool Continues)
{
    public static VarlinkReply Parse(ReadOnlyMemory<byte> message)
    {
        // The JSON parser leaves string contents unchecked until they are read, and then throws InvalidOperationException.
        if (!System.Text.Unicode.Utf8.IsValid(message.Span))
        {
            throw new VarlinkProtocolException("reply is not valid UTF-8");
        }
        try
        {
            using JsonDocument document = JsonDocument.Parse(message, new JsonDocumentOptions { MaxDepth = VarlinkCall.MaxDepth });
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new VarlinkProtocolException("reply is not a JSON object");
            }
            string? error = root.TryGetProperty("error", out JsonElement e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            JsonElement parameters = root.TryGetProperty("parameters", out JsonElement p) && p.ValueKind == JsonValueKind.Object
                ? p.Clone()
                : VarlinkCall.EmptyObject;
            bool continues = root.TryGetProperty("continues", out JsonElement c) && c.ValueKind == JsonValueKind.True;
            return new VarlinkReply(error, parameters, continues);
        }
        catch (JsonException ex)
        {
            throw new VarlinkProtocolException("reply is not valid JSON", ex);
        }
    }
}
