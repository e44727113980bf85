using System.Globalization;
using System.Net.Sockets;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace GpDaemon.Logging;

/// <summary>
/// A Serilog sink that writes to journald's native socket, keeping structured properties as journal fields
/// (PORTAL=, GATEWAY=, STATE=, EVENT_ID=...), so `journalctl -u gpdaemon PORTAL=vpn.example.com` works.
/// </summary>
internal sealed class JournaldSink : ILogEventSink, IDisposable
{
    public const string DefaultSocketPath = "/run/systemd/journal/socket";

    private readonly Socket _socket;
    private readonly UnixDomainSocketEndPoint _endPoint;
    private readonly string _identifier;
    private readonly IFormatProvider _format = CultureInfo.InvariantCulture;

    // As the console shows it: string values without quotes.
    private readonly MessageTemplateTextFormatter _messageFormatter = new("{Message:lj}", CultureInfo.InvariantCulture);

    public JournaldSink(string socketPath = DefaultSocketPath, string identifier = "gpdaemon")
    {
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _endPoint = new UnixDomainSocketEndPoint(socketPath);
        _identifier = identifier;
    }

    public void Emit(LogEvent logEvent)
    {
        JournalEntry entry = Build(logEvent);
        try
        {
            _socket.SendTo(entry.Bytes.Span, SocketFlags.None, _endPoint);
        }
        catch (SocketException)
        {
            // Logging must never take the daemon down; journald restarting loses a line, not the service.
        }
    }

    internal JournalEntry Build(LogEvent logEvent)
    {
        using var text = new StringWriter(_format);
        _messageFormatter.Format(logEvent, text);
        string message = text.ToString();
        if (logEvent.Exception is not null)
        {
            message += "\n" + logEvent.Exception;
        }
        // Datagrams above a few hundred KiB would need journald's memfd protocol; every field is bounded instead.
        var entry = new JournalEntry()
            .Add("MESSAGE", message, JournalEntry.MaxMessageBytes)
            .Add("PRIORITY", Priority(logEvent.Level))
            .Add("SYSLOG_IDENTIFIER", _identifier);
        foreach (KeyValuePair<string, LogEventPropertyValue> property in logEvent.Properties)
        {
            switch (property.Key, property.Value)
            {
                case ("EventId", StructureValue eventId):
                    foreach (LogEventProperty part in eventId.Properties)
                    {
                        entry.Add(part.Name == "Id" ? "EVENT_ID" : "EVENT_NAME", Render(part.Value));
                    }
                    break;
                case ("SourceContext", _):
                    entry.Add("LOGGER", Render(property.Value));
                    break;
                default:
                    entry.Add(property.Key, Render(property.Value));
                    break;
            }
        }
        return entry;
    }

    private string Render(LogEventPropertyValue value) => value is ScalarValue { Value: var scalar }
        ? Convert.ToString(scalar, _format) ?? ""
        : value.ToString(null, _format);

    private static string Priority(LogEventLevel level) => level switch
    {
        LogEventLevel.Fatal => "2",
        LogEventLevel.Error => "3",
        LogEventLevel.Warning => "4",
        LogEventLevel.Information => "6",
        _ => "7",
    };

    public void Dispose() => _socket.Dispose();
}
