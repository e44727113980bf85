namespace GpControl.Tests;

public sealed class ControlMessagesTests
{
    [Fact]
    public void Connect_parameters_never_print_the_password()
    {
        var parameters = new ConnectParameters("vpn.example.com", "alice", "hunter2-secret", "US East");

        string text = parameters.ToString();

        Assert.DoesNotContain("hunter2-secret", text);
        Assert.Contains("vpn.example.com", text);
        Assert.Contains("alice", text);
        Assert.Contains("US East", text);
        Assert.Contains("Password = ***", text);
    }

    [Fact]
    public void Connect_parameters_without_a_password_say_so()
    {
        Assert.Contains("Password = null", new ConnectParameters("vpn.example.com").ToString());
    }

    [Fact]
    public void Submit_input_parameters_never_print_the_value()
    {
        string text = new SubmitInputParameters("prompt-7", "123456-otp").ToString();

        Assert.DoesNotContain("123456-otp", text);
        Assert.Contains("prompt-7", text);
    }
}
