using System.Runtime.InteropServices;
using FakeGlobalProtect.Events;
using FakeGlobalProtect.Options;
using FakeGlobalProtect.Server;
using FakeGlobalProtect.Tls;

namespace FakeGlobalProtect;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["--help"] or ["-h"])
        {
            Console.WriteLine(FakeOptionsParser.Usage);
            Console.WriteLine("scenarios: " + string.Join(", ", ScenarioNames.All));
            return 0;
        }

        FakeOptions options;
        try
        {
            options = FakeOptionsParser.Parse(args);
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync($"fake-globalprotect: {e.Message}\n{FakeOptionsParser.Usage}").ConfigureAwait(false);
            return 2;
        }

        using var certificate = options.CertificatePath is { } path
            ? ServerCertificate.Load(path)
            : ServerCertificate.CreateSelfSigned();

        using var shutdown = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            shutdown.Cancel();
        }
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

        // wrong-cert plays a man in the middle: it announces the pin of the certificate the client expects but
        // serves another one, for another name and with another key.
        using var impostor = options.Scenario == Scenario.WrongCert ? ServerCertificate.CreateSelfSignedFor(ServerCertificate.WrongName) : null;

        var output = new LineEventSink(new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false });
        using var afterLogin = options.CertificateAfterLoginPath is { } afterLoginPath ? ServerCertificate.Load(afterLoginPath) : null;
        using var server = FakeServer.Start(options, impostor ?? certificate, output, afterLogin);
        // The first two lines are a contract: tests read the port and the pin from them.
        output.WriteLine($"listening {server.LocalEndPoint}");
        output.WriteLine($"pin {ServerCertificate.Pin(certificate)}");

        await server.RunAsync(shutdown.Token).ConfigureAwait(false);
        return 0;
    }
}
