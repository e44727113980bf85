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
        --instance | -i)
            # The configured instances: /etc/gpdaemon/NAME.toml (gpdaemon.toml is the default one's).
            local configs=(/etc/gpdaemon/*.toml) names=() f
            for f in "${configs[@]}"; do
                [[ -e $f && ${f##*/} != gpdaemon.toml ]] && f=${f##*/} && names+=("${f%.toml}")
            done
            COMPREPLY=($(compgen -W "${names[*]}" -- "$cur"))
            return
            ;;
    esac

    # The command is the first word that is neither an option nor an option's value.
    local i word command=""
    for ((i = 1; i < COMP_CWORD; i++)); do
        word=${COMP_WORDS[i]}
        case $word in
            --socket | --instance | -i | --user | -u | --gateway | -g)
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
        "") options="--socket --instance -i -h --help --version" ;;
        status) options="--json --all -a --socket --instance -i -h --help" ;;
        watch) options="--json --socket --instance -i -h --help" ;;
        connect) options="--user -u --gateway -g --passwd-on-stdin --no-wait --socket --instance -i -h --help" ;;
        disconnect) options="--forget --socket --instance -i -h --help" ;;
        callback) options="--socket --instance -i -h --help" ;;
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
