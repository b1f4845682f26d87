package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/auth"
)

func init() {
	register(command{name: "user", summary: "manage newsroom accounts: add, list, disable, enable, password", run: runUser})
}

const userUsage = `user <add|list|disable|enable|password> [flags]

  add      --email E --name N --role admin|editor|author [--lang ky|ru|en]
           creates an account; the password is the first line of stdin
  list     lists the accounts
  disable  --email E   stops the account from logging in and ends its sessions
  enable   --email E   lets a disabled account log in again
  password --email E   sets a new password (first line of stdin) and ends the
           account's sessions`

// userSubcommands are the actions of jarchy user.
var userSubcommands = map[string]func(ctx context.Context, e *env, args []string) int{
	"add":      runUserAdd,
	"list":     runUserList,
	"disable":  func(ctx context.Context, e *env, args []string) int { return runUserSetDisabled(ctx, e, args, true) },
	"enable":   func(ctx context.Context, e *env, args []string) int { return runUserSetDisabled(ctx, e, args, false) },
	"password": runUserPassword,
}

func runUser(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintf(e.stderr, "usage: jarchy %s\n\nEach takes --data and --db like the other commands.\n", userUsage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	sub, ok := userSubcommands[args[0]]
	if !ok {
		e.errorf("unknown user command %q (add, list, disable, enable, password)", args[0])
		return 2
	}
	// Account changes are audited; from the command line the actor is "cli".
	return sub(jarchy.WithActor(ctx, jarchy.Actor{Name: "cli"}), e, args[1:])
}

// userFlags parses the flags of one user subcommand; open opens the store.
func userFlags(e *env, name, usage string, args []string, define func(fs *flag.FlagSet)) (storeFlags, int) {
	fs := newFlags(e, "user "+name, "user "+name+" "+usage)
	sf := addStoreFlags(fs, e)
	if define != nil {
		define(fs)
	}
	if code := parse(fs, e, args, nil); code >= 0 {
		return sf, code
	}
	if fs.NArg() != 0 {
		e.errorf("user %s takes no arguments (got %q)", name, fs.Args())
		fs.Usage()
		return sf, 2
	}
	return sf, -1
}

func openStore(ctx context.Context, e *env, sf storeFlags) (jarchy.Store, bool) {
	st, err := sf.openDB(ctx)
	if err != nil {
		e.errorf("%v", err)
		return nil, false
	}
	return st, true
}

func runUserAdd(ctx context.Context, e *env, args []string) int {
	var email, name, role, lang *string
	sf, code := userFlags(e, "add", "--email E --name N --role R [--lang L] [flags] < password", args, func(fs *flag.FlagSet) {
		email = fs.String("email", "", "the account's email (its login)")
		name = fs.String("name", "", "the person's name")
		role = fs.String("role", "", "admin, editor or author")
		lang = fs.String("lang", string(jarchy.DefaultLang), "the newsroom's language for this user: ky, ru or en")
	})
	if code >= 0 {
		return code
	}
	u := &jarchy.User{Email: *email, Name: *name, Role: jarchy.Role(*role), Lang: jarchy.Lang(*lang)}
	u.Normalize()
	if err := u.Validate(); err != nil {
		e.errorf("user add: %s", jarchy.ErrorMessage(err))
		return 1
	}
	pw, ok := readPassword(e)
	if !ok {
		return 1
	}
	st, ok := openStore(ctx, e, sf)
	if !ok {
		return 1
	}
	defer st.Close()
	u.PasswordHash = auth.Hash(pw)
	if err := st.SaveUser(ctx, u); err != nil {
		e.errorf("user add: %s", userError(err))
		return 1
	}
	fmt.Fprintf(e.stdout, "added user %d %s (%s)\n", u.ID, u.Email, u.Role)
	return 0
}

func runUserList(ctx context.Context, e *env, args []string) int {
	sf, code := userFlags(e, "list", "[flags]", args, nil)
	if code >= 0 {
		return code
	}
	st, ok := openStore(ctx, e, sf)
	if !ok {
		return 1
	}
	defer st.Close()
	users, err := st.Users(ctx)
	if err != nil {
		e.errorf("user list: %v", err)
		return 1
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tEMAIL\tNAME\tROLE\tLANG\tSTATE\tCREATED")
	for _, u := range users {
		state := "active"
		if u.Disabled {
			state = "disabled"
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, u.Role, u.Lang, state, u.CreatedAt.Format("2006-01-02 15:04 MST"))
	}
	w.Flush()
	return 0
}

func runUserSetDisabled(ctx context.Context, e *env, args []string, disabled bool) int {
	name := map[bool]string{true: "disable", false: "enable"}[disabled]
	var email *string
	sf, code := userFlags(e, name, "--email E [flags]", args, func(fs *flag.FlagSet) {
		email = fs.String("email", "", "the account's email")
	})
	if code >= 0 {
		return code
	}
	st, ok := openStore(ctx, e, sf)
	if !ok {
		return 1
	}
	defer st.Close()
	u, err := st.UserByEmail(ctx, *email)
	if err != nil {
		e.errorf("user %s: %s", name, userError(err))
		return 1
	}
	u.Disabled = disabled
	if err := st.SaveUser(ctx, u); err != nil { // disabling ends the sessions in the same write
		e.errorf("user %s: %s", name, userError(err))
		return 1
	}
	if disabled {
		fmt.Fprintf(e.stdout, "disabled %s; their sessions have ended\n", u.Email)
	} else {
		fmt.Fprintf(e.stdout, "enabled %s\n", u.Email)
	}
	return 0
}

func runUserPassword(ctx context.Context, e *env, args []string) int {
	var email *string
	sf, code := userFlags(e, "password", "--email E [flags] < password", args, func(fs *flag.FlagSet) {
		email = fs.String("email", "", "the account's email")
	})
	if code >= 0 {
		return code
	}
	pw, ok := readPassword(e)
	if !ok {
		return 1
	}
	st, ok := openStore(ctx, e, sf)
	if !ok {
		return 1
	}
	defer st.Close()
	u, err := st.UserByEmail(ctx, *email)
	if err != nil {
		e.errorf("user password: %s", userError(err))
		return 1
	}
	u.PasswordHash = auth.Hash(pw)
	if err := st.SaveUser(ctx, u); err != nil {
		e.errorf("user password: %s", userError(err))
		return 1
	}
	if err := st.DeleteUserSessions(ctx, u.ID); err != nil {
		e.errorf("user password: the password is changed, but ending the sessions failed: %v", err)
		return 1
	}
	fmt.Fprintf(e.stdout, "changed the password of %s; their sessions have ended\n", u.Email)
	return 0
}

// readPassword reads a new password: typed without echo at a terminal, or
// else the first line of stdin. It reports a refused password itself.
func readPassword(e *env) (string, bool) {
	var pw string
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(e.stderr, "password: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			e.errorf("cannot read the password: %v", err)
			return "", false
		}
		pw = string(b)
	} else {
		line, err := bufio.NewReader(io.LimitReader(e.stdin, jarchy.MaxPasswordLen+2)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			e.errorf("cannot read the password from stdin: %v", err)
			return "", false
		}
		if !strings.HasSuffix(line, "\n") && len(line) > jarchy.MaxPasswordLen {
			e.errorf("the password is longer than %d bytes", jarchy.MaxPasswordLen)
			return "", false
		}
		pw = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	}
	if pw == "" {
		e.errorf("no password: give it on the first line of stdin (e.g. from a password manager), or type it at the prompt")
		return "", false
	}
	if err := jarchy.ValidPassword(pw); err != nil {
		e.errorf("%s", jarchy.ErrorMessage(err))
		return "", false
	}
	return pw, true
}

// userError is a store error as a message: the domain's message for domain
// errors, the whole chain for others.
func userError(err error) string {
	var je *jarchy.Error
	if errors.As(err, &je) {
		return je.Message
	}
	return err.Error()
}
