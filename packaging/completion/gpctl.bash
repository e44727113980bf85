# bash completion for gpctl(1). Installed as bash-completion's completions/gpctl; works without bash-completion too.
# Keep in sync with src/GpCtl/Program.cs (tests/Systemd.Tests/Install/CompletionTests checks it against `gpctl --help`).

_gpctl()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=""
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    # "--socket=PATH": bash splits the word at '=' (COMP_WORDBREAKS).
    if [[ $cur == "=" ]]; then
        prev=${COMP_WORDS[COMP_CWORD - 1]}
        cur=""
    elif [[ $prev == "=" ]] && ((COMP_CWORD > 1)); then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    fi

    case $prev in
        --socket)
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -f -- "$cur"))
            return
            ;;
        --user | -u)
            COMPREPLY=($(compgen -u -- "$cur"))
            return
            ;;
        --gateway | -g)
            COMPREPLY=()
            return
            ;;
    esac

    # The command is the first word that is neither an option nor an option's value.
    local i word command=""
    for ((i = 1; i < COMP_CWORD; i++)); do
        word=${COMP_WORDS[i]}
        case $word in
            --socket | --user | -u | --gateway | -g)
                [[ ${COMP_WORDS[i + 1]} == "=" ]] && ((i++))
                ((i++))
                ;;
            -*) ;;
            *)
                command=$word
                break
                ;;
        esac
    done

    local options
    case $command in
        "") options="--socket -h --help --version" ;;
        status | watch) options="--json --socket -h --help" ;;
        connect) options="--user -u --gateway -g --passwd-on-stdin --no-wait --socket -h --help" ;;
        disconnect) options="--forget --socket -h --help" ;;
        callback) options="--socket -h --help" ;;
        *) options="" ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
    elif [[ -z $command ]]; then
        COMPREPLY=($(compgen -W "status connect disconnect watch callback" -- "$cur"))
    elif [[ $command == connect || $command == disconnect ]]; then
        # The portal: a host name (from /etc/hosts and $HOSTFILE).
        COMPREPLY=($(compgen -A hostname -- "$cur"))
    else
        COMPREPLY=()
    fi
}
complete -F _gpctl gpctl
