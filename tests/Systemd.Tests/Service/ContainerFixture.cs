using GpDaemon.TestSupport;
using Systemd.Tests.Support;

namespace Systemd.Tests.Service;

/// <summary>
/// What every container fixture holds: the fake portal on the host, the staged `make install`, the booted container,
/// and the unique tun device name the daemon is configured with (the device appears in the host's namespace too).
/// </summary>
public abstract class ContainerFixture : IAsyncLifetime
{
    private FakePortal? _fake;
    private StagedInstall? _install;
    private SystemdContainer? _container;

    internal FakePortal Fake => _fake ?? throw new InvalidOperationException("not initialized");

    internal SystemdContainer Container => _container ?? throw new InvalidOperationException("not initialized");

    internal string Interface { get; } = UniqueName.Next("gpdt");

    private protected StagedInstall Install => _install ?? throw new InvalidOperationException("not initialized");

    public async Task InitializeAsync()
    {
        _fake = await StartPortalAsync();
        _install = await StagedInstall.CreateAsync();
        await PrepareAsync();
        _container = await SystemdContainer.BootAsync(_install.Binds, usrLayers: UsrLayers, networkNamespace: NetworkNamespacePath);
        await BootedAsync();
    }

    /// <summary>Directories laid over /usr inside the container (see <see cref="SystemdContainer.BootAsync"/>).</summary>
    private protected virtual IReadOnlyList<string> UsrLayers => [];

    /// <summary>The network namespace the container boots in (a path under /run/netns); null: the host's.</summary>
    private protected virtual string? NetworkNamespacePath => null;

    /// <summary>Runs once the container has booted, before any test.</summary>
    private protected virtual Task BootedAsync() => Task.CompletedTask;

    private protected abstract Task<FakePortal> StartPortalAsync();

    /// <summary>Writes the config and drop-ins into the staged install before the container boots.</summary>
    private protected abstract Task PrepareAsync();

    /// <summary>
    /// Enables the service with autoconnect = true to the fake portal, the password coming only from a systemd credential
    /// (LoadCredential= in a drop-in, the documented way); <paramref name="serviceSettings"/> join the drop-in's [Service].
    /// </summary>
    private protected async Task EnableAutoconnectAsync(string serviceSettings = "")
    {
        Install.WriteConfig($"""
            portal = "{Fake.Address}"
            user = "{FakePortal.User}"
            autoconnect = true
            servercert = "{Fake.Pin}"

            [openconnect]
            interface = "{Interface}"
            """);
        Install.WriteSecret("password", Fake.Password + "\n");
        Install.WriteDropIn("test", "[Service]\nLoadCredential=password:/etc/gpdaemon/password\n" + serviceSettings);
        await Install.EnableAsync();
    }

    public async Task DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
        if (_fake is not null)
        {
            await _fake.DisposeAsync();
        }
        _install?.Dispose();
        await DisposedAsync();
    }

    /// <summary>Runs after the container, the fake and the install are gone: for what a fixture made besides.</summary>
    private protected virtual Task DisposedAsync() => Task.CompletedTask;
}
