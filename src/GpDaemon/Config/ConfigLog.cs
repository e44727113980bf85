using GpDaemon.Logging;
using Microsoft.Extensions.Logging;

namespace GpDaemon.Config;

/// <summary>What a configuration load ignored or assumed, logged alike at start and at each reload.</summary>
internal static partial class ConfigLog
{
    [LoggerMessage(EventId = EventIds.ConfigWarning, Level = LogLevel.Warning, Message = "Configuration: {Warning}")]
    public static partial void Warning(ILogger logger, string warning);
}
