using System.Globalization;
using System.Text;
using Tmds.Linux;

namespace GpTunnel.Tests.Support;

/// <summary>
/// A shell script that behaves like openconnect 9 towards its supervisor: reads one cookie line from stdin,
/// prints what openconnect prints, runs the --script with openconnect's environment, honours SIGTERM
/// (runs the script with reason=disconnect, exits 0). It records argv, stdin, environment, pid and the
/// signals it got into files of <see cref="RecordDirectory"/>.
/// </summary>
internal sealed class StandInOpenConnect
{
    private StandInOpenConnect(string path, string recordDirectory)
    {
        Path = path;
        RecordDirectory = recordDirectory;
    }

    public string Path { get; }

    public string RecordDirectory { get; }

    public string Record(string name) => System.IO.Path.Combine(RecordDirectory, name);

    public string? ReadRecord(string name) => File.Exists(Record(name)) ? File.ReadAllText(Record(name)) : null;

    public IReadOnlyList<string> Argv => File.ReadAllLines(Record("argv"));

    public int SignalCount(string name) =>
        File.Exists(Record("signals")) ? File.ReadAllLines(Record("signals")).Count(l => l == name) : 0;

    /// <summary>Waits (bounded) until the stand-in has written a record file; the tests never time this.</summary>
    public async Task<string> WaitForRecordAsync(string name)
    {
        using var timeout = new CancellationTokenSource(EventReader.Patience);
        while (!File.Exists(Record(name + ".done")))
            await Task.Delay(20, timeout.Token);
        return File.ReadAllText(Record(name));
    }

    /// <summary>Ends the background sleep the stand-in waits on, so nothing outlives a test.</summary>
    public void KillSleeper()
    {
        if (ReadRecord("sleeper") is { } text && int.TryParse(text.Trim(), CultureInfo.InvariantCulture, out var pid))
            LibC.kill(pid, LibC.SIGKILL);
    }

    public static StandInOpenConnect Write(string directory, StandInBehavior behavior)
    {
        var records = System.IO.Path.Combine(directory, "records");
        Directory.CreateDirectory(records);
        var path = System.IO.Path.Combine(directory, "openconnect");
        var script = new StringBuilder();
        script.Append($$"""
            #!/bin/sh
            dir='{{records}}'
            record() { cat > "$dir/$1"; : > "$dir/$1.done"; }
            printf '%s\n' "$@" | record argv
            echo "$$" | record pid
            # openconnect gives up when stdin ends before a cookie line, before it contacts anything.
            if ! IFS= read -r cookie; then printf '%s' "$cookie" | record stdin; echo 'fgets (stdin): Success' >&2; exit 1; fi
            printf '%s' "$cookie" | record stdin
            # A second read must see end of file: the supervisor closes stdin after the cookie.
            if IFS= read -r extra; then echo "$extra" | record stdin-extra; fi
            env | record env
            script=''
            while [ $# -gt 0 ]; do
            	case $1 in --script) script=$2; shift ;; esac
            	shift
            done
            run_script() { /bin/sh -c "$script"; }

            """);
        if (behavior.EchoCookie)
        {
            script.Append("""
                echo "POST body: $cookie"
                echo "> $cookie" >&2

                """);
        }
        if (behavior.Connect)
        {
            script.Append("""
                echo "POST https://gw.example/ssl-vpn/getconfig.esp"
                echo "Configured as 10.99.0.2, with SSL connected and ESP disabled"
                echo "Session authentication will expire at Mon Nov 30 00:59:36 2026"
                echo
                export VPNPID=$$ VPNGATEWAY=127.0.0.1 INTERNAL_IP4_ADDRESS=10.99.0.2 INTERNAL_IP4_NETMASK=255.255.255.255
                export INTERNAL_IP4_MTU=1400 INTERNAL_IP4_DNS='10.99.0.53 10.99.0.54' CISCO_DEF_DOMAIN='corp.example lab.example'
                export CISCO_SPLIT_INC=2 CISCO_SPLIT_INC_0_ADDR=10.99.0.0 CISCO_SPLIT_INC_0_MASKLEN=16
                export CISCO_SPLIT_INC_1_ADDR=192.168.5.0 CISCO_SPLIT_INC_1_MASKLEN=24
                export CISCO_BANNER='Welcome
                @gptunnel:0000 set TUNDEV=forged'
                reason=pre-init run_script
                export TUNDEV=tun-standin
                reason=connect run_script

                """);
        }
        if (behavior.ExitCode is { } code)
        {
            foreach (var line in behavior.ExitLines)
                script.Append("echo ").Append(Quote(line)).Append(" >&2\n");
            if (behavior.LeaveOutputHolder)
                script.Append("sleep 120 &\necho \"$!\" | record sleeper\n");
            script.Append(CultureInfo.InvariantCulture, $"exit {code}\n");
        }
        else
        {
            script.Append(behavior.IgnoreTerm
                ? """
                  trap 'echo TERM >> "$dir/signals"' TERM

                  """
                : """
                  trap 'echo TERM >> "$dir/signals"; kill "$sleeper"; echo "POST https://gw.example/ssl-vpn/logout.esp"; echo "Logout successful."; reason=disconnect run_script; echo "User cancelled (SIGINT/SIGTERM); exiting."; exit 0' TERM

                  """);
            script.Append("""
                sleep 120 >/dev/null 2>&1 &
                sleeper=$!
                echo "$sleeper" | record sleeper
                echo | record waiting
                while kill -0 "$sleeper" 2>/dev/null; do wait "$sleeper"; done
                exit 0

                """);
        }
        File.WriteAllText(path, script.ToString());
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new StandInOpenConnect(path, records);
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
