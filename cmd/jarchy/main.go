// Command jarchy is the jarchy news site in one binary: `jarchy serve` runs
// the public site; import, export and demo manage content; user manages
// newsroom accounts. Each subcommand lives in its own file and registers
// itself in commands.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"syscall"
)

// command is one subcommand. run gets the arguments after its name and
// returns the exit code.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *env, args []string) int
}

// commands is filled by each subcommand file's init.
var commands = map[string]command{}

func register(c command) { commands[c.name] = c }

// env is what a command may touch of the outside world, so that tests can
// run the CLI in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

func (e *env) errorf(format string, args ...any) {
	fmt.Fprintf(e.stderr, "jarchy: "+format+"\n", args...)
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes the command line args (without the program name) and
// returns the exit code: 0 success, 1 failure, 2 usage error.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		e.errorf("unknown command %q", args[0])
		usage(stderr)
		return 2
	}
	return c.run(ctx, e, args[1:])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: jarchy <command> [flags] [arguments]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'jarchy <command> -h' for the flags of a command. The flags of serve and of\nthe store can also be set by an environment variable JARCHY_<FLAG> (e.g. JARCHY_DATA);\na flag given on the command line wins.")
}

// newFlags returns a flag set that writes its messages to env's stderr.
func newFlags(e *env, name, usageLine string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: jarchy %s\n\nflags:\n", usageLine)
		fs.PrintDefaults()
	}
	return fs
}

// envName is the environment variable for a flag: --base-url -> JARCHY_BASE_URL.
func envName(flagName string) string {
	return "JARCHY_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// stringFlag defines a string flag whose default comes from its environment
// variable when set. A flag on the command line still wins.
func stringFlag(fs *flag.FlagSet, e *env, name, def, help string) *string {
	if v := e.getenv(envName(name)); v != "" {
		def = v
	}
	return fs.String(name, def, help+" (env "+envName(name)+")")
}

// boolFlag is stringFlag for booleans; a malformed environment value is an
// error reported by parse.
func boolFlag(fs *flag.FlagSet, e *env, name string, def bool, help string, bad *[]string) *bool {
	if v := e.getenv(envName(name)); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			*bad = append(*bad, fmt.Sprintf("%s=%q is not a boolean", envName(name), v))
		} else {
			def = b
		}
	}
	return fs.Bool(name, def, help+" (env "+envName(name)+")")
}

func intFlag(fs *flag.FlagSet, e *env, name string, def int, help string, bad *[]string) *int {
	if v := e.getenv(envName(name)); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			*bad = append(*bad, fmt.Sprintf("%s=%q is not a number", envName(name), v))
		} else {
			def = n
		}
	}
	return fs.Int(name, def, help+" (env "+envName(name)+")")
}

// parse parses args and reports bad environment values; it returns the
// exit code to use when the command must stop (-1 to go on).
func parse(fs *flag.FlagSet, e *env, args []string, bad []string) int {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	for _, b := range bad {
		e.errorf("%s", b)
	}
	if len(bad) > 0 {
		return 2
	}
	return -1
}
