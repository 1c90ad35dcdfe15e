# bash completion for vafwatch: subcommands, then the long options the
# subcommand's own --help lists (so it never drifts from the program), the
# values of the options that take a fixed set, and file names otherwise.
_vafwatch() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    if [ "$COMP_CWORD" -eq 1 ]; then
        local cmds
        cmds=$(vafwatch help 2>/dev/null | awk '/^Commands:/ {on = 1; next} on && /^  [a-z]/ {print $1}')
        COMPREPLY=($(compgen -W "$cmds help version" -- "$cur"))
        return
    fi
    # option values (tests/cli/test_install.sh checks each against the command's --help)
    case $prev in
    --build) COMPREPLY=($(compgen -W "GRCh37 GRCh38" -- "$cur")); return ;;
    --rule) COMPREPLY=($(compgen -W "consecutive strict cusum" -- "$cur")); return ;;
    --count-unit) COMPREPLY=($(compgen -W "fragment read molecule" -- "$cur")); return ;;
    --umi) COMPREPLY=($(compgen -W "auto tag name" -- "$cur")); return ;;
    --adjust) COMPREPLY=($(compgen -W "holm bh none" -- "$cur")); return ;;
    --ci) COMPREPLY=($(compgen -W "cp wilson" -- "$cur")); return ;;
    --class) COMPREPLY=($(compgen -W "molecule molecule_f3 duplex fragment read" -- "$cur")); return ;;
    --report-date) COMPREPLY=($(compgen -W "$(date -u +%F)" -- "$cur")); return ;;
    esac
    if [[ $cur == -* ]]; then
        local opts mode=
        # cnv --genome has its own options
        [[ " ${COMP_WORDS[*]} " == *" --genome "* ]] && mode=--genome
        opts=$(vafwatch "${COMP_WORDS[1]}" $mode --help 2>/dev/null | grep -oE -- '--[a-zA-Z][a-zA-Z0-9-]*' | sort -u)
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    if [ "${COMP_WORDS[1]}" = model ] && [ "$COMP_CWORD" -eq 2 ]; then
        COMPREPLY=($(compgen -W "build" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _vafwatch vafwatch
