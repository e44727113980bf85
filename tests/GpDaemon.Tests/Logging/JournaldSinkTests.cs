using System.Net.Sockets;
using GpDaemon.Backend;
using GpDaemon.Config;
using GpDaemon.Connection;
using GpDaemon.Logging;
using GpDaemon.Tests.Support;
using Microsoft.Extensions.Logging;
using Serilog.Extensions.Logging;

namespace GpDaemon.Tests.Logging;

/// <summary>The sink against a datagram socket bound where journald's would be: what arrives is what journald would store.</summary>
public sealed partial class JournaldSinkTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("gpdaemon-journal-");
    private readonly Socket _journal = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly JournaldSink _sink;
    private readonly SerilogLoggerFactory _loggers;

    public JournaldSinkTests()
    {
        string path = Path.Combine(_directory.FullName, "socket");
        _journal.Bind(new UnixDomainSocketEndPoint(path));
        _sink = new JournaldSink(path, "gpdaemon-test");
        Serilog.ILogger serilog = new Serilog.LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(_sink).CreateLogger();
        _loggers = new SerilogLoggerFactory(serilog);
    }

    private async Task<List<KeyValuePair<string, string>>> ReceiveAsync()
    {
        byte[] buffer = new byte[256 * 1024];
        int n = await _journal.ReceiveAsync(buffer, SocketFlags.None, Wait.Token());
        return JournalFields.Parse(buffer.AsSpan(0, n));
    }

    [Fact]
    public async Task A_log_event_arrives_with_message_priority_identifier_and_its_structured_fields()
    {
        ILogger logger = _loggers.CreateLogger("GpDaemon.Connection.ConnectionStateMachine");

        LogTunnelEnded(logger, "vpn.example.com", "US East", 2);
        List<KeyValuePair<string, string>> fields = await ReceiveAsync();

        Assert.Contains("vpn.example.com", fields.Single("MESSAGE"));
        Assert.Equal("4", fields.Single("PRIORITY"));
        Assert.Equal("gpdaemon-test", fields.Single("SYSLOG_IDENTIFIER"));
        Assert.Equal("vpn.example.com", fields.Single("PORTAL"));
        Assert.Equal("US East", fields.Single("GATEWAY"));
        Assert.Equal("2", fields.Single("EXIT_CODE"));
        Assert.Equal("4711", fields.Single("EVENT_ID"));
        Assert.Equal("TunnelEnded", fields.Single("EVENT_NAME"));
        Assert.Equal("GpDaemon.Connection.ConnectionStateMachine", fields.Single("LOGGER"));
    }

    [Fact]
    public async Task The_message_reads_like_the_console_one_without_quoted_values()
    {
        ILogger logger = _loggers.CreateLogger("GpDaemon.Connection.ConnectionStateMachine");

        LogTunnelEnded(logger, "vpn.example.com", "US East", 2);

        Assert.Equal("Tunnel to vpn.example.com via US East ended with 2", (await ReceiveAsync()).Single("MESSAGE"));
    }

    [Theory]
    [InlineData(LogLevel.Critical, "2")]
    [InlineData(LogLevel.Error, "3")]
    [InlineData(LogLevel.Warning, "4")]
    [InlineData(LogLevel.Information, "6")]
    [InlineData(LogLevel.Debug, "7")]
    public async Task Levels_map_to_syslog_priorities(LogLevel level, string priority)
    {
        ILogger logger = _loggers.CreateLogger("test");

#pragma warning disable CA1848, CA2254 // a plain call is the point: any level, one template
        logger.Log(level, "level check");
#pragma warning restore CA1848, CA2254

        Assert.Equal(priority, (await ReceiveAsync()).Single("PRIORITY"));
    }

    [Fact]
    public async Task A_message_with_an_exception_arrives_whole_in_the_multi_line_form()
    {
        ILogger logger = _loggers.CreateLogger("GpDaemon.DaemonHost");
        Exception error;
        try
        {
            throw new InvalidOperationException("socket vanished");
        }
        catch (InvalidOperationException ex)
        {
            error = ex;
        }

        LogFailed(logger, "vpn.example.com", error);
        List<KeyValuePair<string, string>> fields = await ReceiveAsync();

        string message = fields.Single("MESSAGE");
        Assert.Contains(" failed\nSystem.InvalidOperationException: socket vanished\n", message);
        Assert.Contains(nameof(A_message_with_an_exception_arrives_whole_in_the_multi_line_form), message); // the stack trace
        Assert.Equal("3", fields.Single("PRIORITY"));
        Assert.Equal("vpn.example.com", fields.Single("PORTAL"));
    }

    [Fact]
    public async Task State_changes_of_the_connection_carry_portal_and_state_fields()
    {
        var backend = new FakeBackend { OnLogin = FakeBackend.BlocksUntilCancelled };
        await using var controller = new ConnectionStateMachine(backend, new ReconnectSettings(), new FakeTimeProvider(),
            _loggers.CreateLogger<ConnectionStateMachine>());

        controller.Connect(Controllers.Request(), 1000);

        // The first event is the connect request itself; look for the state change among the next few.
        for (int i = 0; i < 5; i++)
        {
            List<KeyValuePair<string, string>> fields = await ReceiveAsync();
            if (fields.Any(f => f.Key == "STATE"))
            {
                Assert.Equal("Authenticating", fields.Single("STATE"));
                Assert.Equal("vpn.example.com", fields.Single("PORTAL"));
                Assert.Equal(typeof(ConnectionStateMachine).FullName, fields.Single("LOGGER"));
                Assert.False(string.IsNullOrEmpty(fields.Single("EVENT_ID")));
                return;
            }
        }
        Assert.Fail("no state-change event with a STATE field arrived");
    }

    [Fact]
    public async Task Every_field_of_a_huge_event_is_bounded_so_that_its_datagram_is_sent()
    {
        ILogger logger = _loggers.CreateLogger("GpDaemon.Connection.ConnectionStateMachine");
        string huge = "refused: " + new string('x', 3 * 1024 * 1024);

        LogRefused(logger, huge, "vpn.example.com");
        byte[] buffer = new byte[256 * 1024];
        int n = await _journal.ReceiveAsync(buffer, SocketFlags.None, Wait.Token());
        List<KeyValuePair<string, string>> fields = JournalFields.Parse(buffer.AsSpan(0, n));

        Assert.True(n <= JournalEntry.MaxEntryBytes, $"{n} bytes");
        Assert.StartsWith("Portal said refused: xxx", fields.Single("MESSAGE"));
        Assert.EndsWith("\u2026", fields.Single("MESSAGE"));
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(fields.Single("MESSAGE")) <= JournalEntry.MaxMessageBytes);
        Assert.EndsWith("\u2026", fields.Single("REASON"));
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(fields.Single("REASON")) <= JournalEntry.MaxFieldBytes);
        Assert.Equal("vpn.example.com", fields.Single("PORTAL"));
    }

    [Fact]
    public void Without_a_journal_logging_goes_on_quietly()
    {
        using var sink = new JournaldSink(Path.Combine(_directory.FullName, "nobody-listens"), "gpdaemon-test");
        Serilog.ILogger serilog = new Serilog.LoggerConfiguration().WriteTo.Sink(sink).CreateLogger();

        serilog.Information("nobody hears this");
    }

    [LoggerMessage(EventId = 4712, Level = LogLevel.Warning, Message = "Portal said {Reason} ({Portal})")]
    private static partial void LogRefused(ILogger logger, string reason, string portal);

    [LoggerMessage(EventId = 4711, EventName = "TunnelEnded", Level = LogLevel.Warning, Message = "Tunnel to {Portal} via {Gateway} ended with {ExitCode}")]
    private static partial void LogTunnelEnded(ILogger logger, string portal, string gateway, int exitCode);

    [LoggerMessage(EventId = 4712, Level = LogLevel.Error, Message = "Connect to {Portal} failed")]
    private static partial void LogFailed(ILogger logger, string portal, Exception exception);

    public void Dispose()
    {
        _loggers.Dispose();
        _sink.Dispose();
        _journal.Dispose();
        _directory.Delete(recursive: true);
    }
}
