using GpText;
using Serilog.Core;
using Serilog.Events;

namespace GpDaemon.Logging;

/// <summary>
/// Makes every string property of a log event safe (<see cref="UntrustedText"/>) before any sink renders it: values
/// that carry portal or caller text cannot write terminal escapes to stderr, start a forged line, or grow a journal
/// entry without bound. The message templates themselves are the daemon's own.
/// </summary>
internal sealed class UntrustedTextEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? cleaned = null;
        foreach (KeyValuePair<string, LogEventPropertyValue> property in logEvent.Properties)
        {
            if (property.Value is ScalarValue { Value: string text } && (text.Length > UntrustedText.MaxLength || !UntrustedText.IsClean(text)))
            {
                (cleaned ??= []).Add(new LogEventProperty(property.Key, new ScalarValue(UntrustedText.Clean(text))));
            }
        }
        if (cleaned is not null)
        {
            foreach (LogEventProperty property in cleaned)
            {
                logEvent.AddOrUpdateProperty(property);
            }
        }
    }
}
