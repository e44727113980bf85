using System.Text.Json;

namespace GpControl.Varlink;

/// <summary>One call as it arrived: the method name, its parameters (an object, possibly empty) and the call flags.</summary>
public sealed record VarlinkCall(string Method, JsonElement Parameters, bool More, bool Oneway)
{
    internal const int MaxDepth = 32;

    internal static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>Parses a call message. Anything that is not a well-formed call object is a protocol error.</summary>
    public static VarlinkCall Parse(ReadOnlyMemory<byte> message)
    {
        // The JSON parser leaves string contents unchecked until they are read, and then throws InvalidOperationException.
        if (!System.Text.Unicode.Utf8.IsValid(message.Span))
        {
            throw new VarlinkProtocolException("message is not valid UTF-8");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(message, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException ex)
        {
            throw new VarlinkProtocolException("message is not valid JSON", ex);
        }
        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new VarlinkProtocolException("message is not a JSON object");
            }
            string? method = null;
            JsonElement parameters = EmptyObject;
            bool more = false, oneway = false;
            foreach (JsonProperty property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "method" when property.Value.ValueKind == JsonValueKind.String:
                        method = ReadMethod(property.Value);
                        break;
                    case "parameters" when property.Value.ValueKind == JsonValueKind.Object:
                        parameters = property.Value.Clone();
                        break;
                    case "parameters" when property.Value.ValueKind == JsonValueKind.Null:
                        break;
                    case "more" or "oneway" or "upgrade" when property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                        bool flag = property.Value.GetBoolean();
                        if (property.Name == "more")
                        {
                            more = flag;
                        }
                        else if (property.Name == "oneway")
                        {
                            oneway = flag;
                        }
                        else if (flag)
                        {
                            throw new VarlinkProtocolException("protocol upgrades are not supported");
                        }

                        break;
                    case "method" or "parameters" or "more" or "oneway" or "upgrade":
                        throw new VarlinkProtocolException($"call field '{property.Name}' has the wrong type");
                    default:
                        break; // unknown top-level fields are ignored, as the spec allows
                }
            }
            if (string.IsNullOrEmpty(method))
            {
                throw new VarlinkProtocolException("call has no method");
            }
            return new VarlinkCall(method, parameters, more, oneway);
        }
    }

    private static string? ReadMethod(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException ex)
        {
            throw new VarlinkProtocolException("the method name is not valid text", ex); // a lone surrogate escape
        }
    }
}
