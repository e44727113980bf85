# fish completion for gpctl(1). Installed in fish's vendor_completions.d.
# Keep in sync with src/GpCtl/Program.cs (tests/Systemd.Tests/Install/CompletionTests checks it against `gpctl --help`).

set -l commands status connect disconnect watch callback
complete -c gpctl -f

complete -c gpctl -l socket -r -F -d 'The control socket of another daemon'
complete -c gpctl -s i -l instance -x -a '(path basename -E /etc/gpdaemon/*.toml 2>/dev/null | string match -v gpdaemon)' -d 'The instance NAME (gpdaemon@NAME.service)'
complete -c gpctl -s h -l help -d 'Show help'
complete -c gpctl -n "not __fish_seen_subcommand_from $commands" -l version -d 'Print the version'

complete -c gpctl -n "not __fish_seen_subcommand_from $commands" -a status -d 'Show the connection (exit 0 if connected, 1 if not)'
complete -c gpctl -n "not __fish_seen_subcommand_from $commands" -a connect -d 'Connect to a GlobalProtect portal'
complete -c gpctl -n "not __fish_seen_subcommand_from $commands" -a disconnect -d 'Disconnect (openconnect logs out at the gateway)'
complete -c gpctl -n "not __fish_seen_subcommand_from $commands" -a watch -d 'Follow state changes until interrupted'
complete -c gpctl -n "not __fish_seen_subcommand_from $commands" -a callback -d 'Complete a waiting single sign-on with the browser result'

complete -c gpctl -n "__fish_seen_subcommand_from status watch" -l json -d 'Print JSON (one object per line)'
complete -c gpctl -n "__fish_seen_subcommand_from status" -s a -l all -d 'Every instance and the default one'

complete -c gpctl -n "__fish_seen_subcommand_from connect" -a '(__fish_print_hostnames)' -d 'Portal'
complete -c gpctl -n "__fish_seen_subcommand_from connect" -s u -l user -x -a '(__fish_complete_users)' -d 'User name'
complete -c gpctl -n "__fish_seen_subcommand_from connect" -s g -l gateway -x -d 'Gateway by name or address'
complete -c gpctl -n "__fish_seen_subcommand_from connect" -l passwd-on-stdin -d 'Read the password and each further answer from stdin'
complete -c gpctl -n "__fish_seen_subcommand_from connect" -l no-wait -d 'Start connecting and return at once'

complete -c gpctl -n "__fish_seen_subcommand_from disconnect" -l forget -d 'Also remove your saved session for the portal'
complete -c gpctl -n "__fish_seen_subcommand_from disconnect" -a '(__fish_print_hostnames)' -d 'Portal (with --forget)'
