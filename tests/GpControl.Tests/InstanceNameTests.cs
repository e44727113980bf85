using GpControl;

namespace GpControl.Tests;

public sealed class InstanceNameTests
{
    [Theory]
    [InlineData("work")]
    [InlineData("customer-1")]
    [InlineData("a.b_c")]
    [InlineData("X")]
    public void Names_of_letters_digits_dash_underscore_and_dot_are_valid(string name) => Assert.Null(InstanceName.Validate(name));

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("-rf")]
    [InlineData("a/b")]
    [InlineData("../etc")]
    [InlineData("a b")]
    [InlineData("a\\x2fb")]
    [InlineData("a\nb")]
    [InlineData("tunnel")]
    [InlineData("gpdaemon")]
    [InlineData("default")]
    public void Paths_dots_only_odd_characters_and_reserved_names_are_refused(string name) => Assert.NotNull(InstanceName.Validate(name));

    [Fact]
    public void Names_are_bounded()
    {
        Assert.Null(InstanceName.Validate(new string('a', InstanceName.MaxLength)));
        Assert.NotNull(InstanceName.Validate(new string('a', InstanceName.MaxLength + 1)));
    }

    [Fact]
    public void The_default_interface_is_gp_NAME_and_fits_IFNAMSIZ()
    {
        Assert.Equal("gp-work", InstanceName.DefaultInterface("work"));
        Assert.Equal("gp-123456789012", InstanceName.DefaultInterface("123456789012"));
        string a = InstanceName.DefaultInterface("customer-europe-1"), b = InstanceName.DefaultInterface("customer-europe-2");
        Assert.Equal(15, a.Length);
        Assert.StartsWith("gp-custome", a, StringComparison.Ordinal);
        Assert.NotEqual(a, b);
        Assert.Equal(15, InstanceName.DefaultInterface(new string('x', InstanceName.MaxLength)).Length);
    }

    [Fact]
    public void An_instance_socket_lives_beside_the_default_one()
    {
        Assert.Equal("/run/gpdaemon/work/gpdaemon.sock", ControlDefaults.ResolveSocketPath("/run/gpdaemon/gpdaemon.sock", "work"));
        Assert.Equal("/tmp/x/run/lab/gpdaemon.sock", ControlDefaults.ResolveSocketPath("/tmp/x/run/gpdaemon.sock", "lab"));
        Assert.Equal("/tmp/x/run/gpdaemon.sock", ControlDefaults.ResolveSocketPath("/tmp/x/run/gpdaemon.sock", null));
    }
}
