package protocol

import (
	"fmt"
	"strings"
)

// Command is one of the eight commands of the protocol.
type Command string

// The commands, spelled as on the command line.
const (
	CmdSpec           Command = "spec"
	CmdValidate       Command = "validate"
	CmdSchema         Command = "schema"
	CmdQuery          Command = "query"
	CmdDelete         Command = "delete"
	CmdScan           Command = "scan"
	CmdRequestStatus  Command = "request-status"
	CmdRequestResults Command = "request-results"
)

// Flag is one of the file flags a command takes.
type Flag struct {
	Short, Long string // "-c", "--config"
	name        string // the metavariable in usage text
}

// The flags; each is followed by the path of a JSON file.
var (
	FlagConfig   = Flag{"-c", "--config", "CONFIG"}
	FlagPersist  = Flag{"-p", "--persist_conf", "PERSIST_CONF"}
	FlagQuery    = Flag{"-q", "--query", "QUERY"}
	FlagSchemas  = Flag{"-s", "--schemas", "SCHEMAS"}
	FlagRequests = Flag{"-r", "--requests", "REQUESTS"}
)

// commandFlags lists, for each command, the flags it requires (and
// accepts), in the order the usage text shows them.
var commandFlags = map[Command][]Flag{
	CmdSpec:           nil,
	CmdValidate:       {FlagConfig},
	CmdSchema:         {FlagConfig},
	CmdQuery:          {FlagConfig, FlagPersist, FlagQuery},
	CmdDelete:         {FlagConfig, FlagPersist, FlagQuery},
	CmdScan:           {FlagConfig, FlagPersist, FlagSchemas},
	CmdRequestStatus:  {FlagConfig, FlagPersist, FlagRequests},
	CmdRequestResults: {FlagConfig, FlagPersist, FlagRequests},
}

// commandOrder is the order of commands in usage text.
var commandOrder = []Command{CmdSpec, CmdValidate, CmdSchema, CmdQuery, CmdDelete, CmdScan, CmdRequestStatus, CmdRequestResults}

// Args is a parsed command line.
type Args struct {
	Command Command
	Files   map[Flag]string // the path given for each flag
	Help    bool            // -h or --help was given
}

// UsageError is a command line the runner cannot accept; the program exits
// with status 2, as argparse does.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// ParseArgs parses the arguments after the program name as the Python kit's
// argparse parser does: the command first, then its flags in any order, each
// as "-c PATH", "-cPATH", "--config PATH", "--config=PATH" or an unambiguous
// prefix of the long name ("--conf PATH"). A repeated flag keeps the last
// value. Every flag the command takes is required.
func ParseArgs(argv []string) (Args, error) {
	var a Args
	if len(argv) == 0 {
		return a, usagef("", "a command is required")
	}
	if argv[0] == "-h" || argv[0] == "--help" {
		a.Help = true
		return a, nil
	}
	cmd := Command(argv[0])
	flags, ok := commandFlags[cmd]
	if !ok {
		return a, usagef("", "invalid command %q (choose from %s)", argv[0], commandList())
	}
	a.Command = cmd
	a.Files = make(map[Flag]string, len(flags))
	rest := argv[1:]
	for i := 0; i < len(rest); i++ {
		arg := rest[i]
		if arg == "-h" || arg == "--help" {
			a.Help = true
			return a, nil
		}
		f, value, hasValue, err := matchFlag(cmd, flags, arg)
		if err != nil {
			return a, err
		}
		if !hasValue {
			if i+1 >= len(rest) || (strings.HasPrefix(rest[i+1], "-") && rest[i+1] != "-") {
				return a, usagef(cmd, "argument %s/%s: expected one argument", f.Short, f.Long)
			}
			i++
			value = rest[i]
		}
		a.Files[f] = value
	}
	var missing []string
	for _, f := range flags {
		if _, ok := a.Files[f]; !ok {
			missing = append(missing, f.Short+"/"+f.Long)
		}
	}
	if len(missing) > 0 {
		return a, usagef(cmd, "the following arguments are required: %s", strings.Join(missing, ", "))
	}
	return a, nil
}

// matchFlag finds the flag arg names among flags, and its inline value if
// arg carries one.
func matchFlag(cmd Command, flags []Flag, arg string) (f Flag, value string, hasValue bool, err error) {
	switch {
	case strings.HasPrefix(arg, "--") && len(arg) > 2:
		name, val, eq := strings.Cut(arg, "=")
		var found []Flag
		for _, f := range flags {
			if f.Long == name {
				return f, val, eq, nil
			}
			if strings.HasPrefix(f.Long, name) {
				found = append(found, f)
			}
		}
		if len(found) == 1 {
			return found[0], val, eq, nil
		}
		if len(found) > 1 {
			return f, "", false, usagef(cmd, "ambiguous option: %s could match %s", name, longNames(found))
		}
	case strings.HasPrefix(arg, "-") && len(arg) >= 2 && arg[1] != '-':
		for _, f := range flags {
			if strings.HasPrefix(arg, f.Short) {
				if len(arg) > 2 {
					return f, strings.TrimPrefix(arg[2:], "="), true, nil
				}
				return f, "", false, nil
			}
		}
	}
	return f, "", false, usagef(cmd, "unrecognized arguments: %s", arg)
}

func longNames(fs []Flag) string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.Long
	}
	return strings.Join(names, ", ")
}

func commandList() string {
	names := make([]string, len(commandOrder))
	for i, c := range commandOrder {
		names[i] = string(c)
	}
	return strings.Join(names, ", ")
}

// usagef builds a UsageError whose text ends with the usage of cmd (or of
// the program, when cmd is empty), all on one line.
func usagef(cmd Command, format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...) + "; usage: " + usageLine(cmd)}
}

// usageLine is the one-line usage of cmd, or of the program.
func usageLine(cmd Command) string {
	if cmd == "" {
		return "connector {" + strings.ReplaceAll(commandList(), ", ", ",") + "} [flags]"
	}
	var sb strings.Builder
	sb.WriteString("connector ")
	sb.WriteString(string(cmd))
	for _, f := range commandFlags[cmd] {
		fmt.Fprintf(&sb, " %s %s", f.Short, f.name)
	}
	return sb.String()
}

// helpText is what -h prints: the commands and their flags.
func helpText(prog string) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "usage: %s COMMAND [flags]\n\nA Monoid connector. Each flag takes the path of a JSON file.\n\ncommands:\n", prog)
	for _, c := range commandOrder {
		fmt.Fprintf(&sb, "  %s\n", strings.Replace(usageLine(c), "connector", prog, 1))
	}
	sb.WriteString("\nflags, and what each file looks like:\n")
	for _, f := range []Flag{FlagConfig, FlagPersist, FlagQuery, FlagSchemas, FlagRequests} {
		fmt.Fprintf(&sb, "  %s, %s %s\n      %s\n", f.Short, f.Long, f.name, flagFormat(f))
	}
	return sb.String()
}

// flagFormat says what the file given with f looks like.
func flagFormat(f Flag) string {
	switch f {
	case FlagPersist:
		return fileFormat(new(PersistenceConfig))
	case FlagQuery:
		return fileFormat(new(Query))
	case FlagSchemas:
		return fileFormat(new(SchemasMessage))
	case FlagRequests:
		return fileFormat(new(RequestsMessage))
	}
	return "a JSON object with the fields of the config schema that the spec command prints"
}
