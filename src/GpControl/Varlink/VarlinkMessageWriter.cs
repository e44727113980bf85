using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace GpControl.Varlink;

/// <summary>Builds varlink messages (JSON object + NUL) into a buffer.</summary>
public static class VarlinkMessageWriter
{
    public static byte[] Call<T>(string method, T parameters, JsonTypeInfo<T> typeInfo, bool more = false)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("method", method);
            writer.WritePropertyName("parameters");
            JsonSerializer.Serialize(writer, parameters, typeInfo);
            if (more)
            {
                writer.WriteBoolean("more", true);
            }
            writer.WriteEndObject();
        }
        return Terminate(buffer);
    }

    public static byte[] Reply<T>(T parameters, JsonTypeInfo<T> typeInfo, bool continues = false)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("parameters");
            JsonSerializer.Serialize(writer, parameters, typeInfo);
            if (continues)
            {
                writer.WriteBoolean("continues", true);
            }
            writer.WriteEndObject();
        }
        return Terminate(buffer);
    }

    public static byte[] Error<T>(string error, T parameters, JsonTypeInfo<T> typeInfo)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("error", error);
            writer.WritePropertyName("parameters");
            JsonSerializer.Serialize(writer, parameters, typeInfo);
            writer.WriteEndObject();
        }
        return Terminate(buffer);
    }

    private static byte[] Terminate(ArrayBufferWriter<byte> buffer)
    {
        byte[] message = new byte[buffer.WrittenCount + 1];
        buffer.WrittenSpan.CopyTo(message);
        return message; // last byte stays 0: the terminator
    }
}
