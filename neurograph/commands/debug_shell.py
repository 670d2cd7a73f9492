"""The (ngdb) prompt of `neurograph debug`: a `cmd.Cmd` shell over a `Debugger`."""

from __future__ import annotations

import cmd
import difflib
import inspect
from typing import Any, TextIO

from neurograph.debug.debugger import Debugger
from neurograph.errors import NeurographError, UsageError

__all__ = ["DebugShell"]

ALIASES = {
    "s": "step",
    "n": "next",
    "b": "break",
    "c": "continue",
    "cont": "continue",
    "p": "print",
    "inspect": "print",  # the Python API's name: dbg.inspect(NAME)
    "w": "where",
    "q": "quit",
    "exit": "quit",
    "h": "help",
}
REPEATABLE = {"step", "next", "back"}


class DebugShell(cmd.Cmd):
    """The (ngdb) prompt: one method ``do_<command>`` per command.

    Parameters
    ----------
    dbg : Debugger
    stdin, stdout : file
    interactive : bool
        True at a terminal (line editing and history through readline); False reads lines
        from `stdin` and echoes each command after the prompt, so a piped session reads
        like a transcript.
    """

    prompt = "(ngdb) "
    doc_header = "Commands (type help COMMAND; short forms: s n b c p w q):"

    def __init__(self, dbg: Debugger, stdin: TextIO, stdout: TextIO, interactive: bool) -> None:
        super().__init__(stdin=stdin, stdout=stdout)
        self.dbg = dbg
        self.use_rawinput = interactive
        self.echo = not interactive

    def say(self, text: str = "") -> None:
        """Print a line of output."""
        print(text, file=self.stdout)

    # -- the loop ---------------------------------------------------------------------------
    def precmd(self, line: str) -> str:
        """Echo a piped command, and expand the short forms (``s`` → ``step``)."""
        if self.echo and line != "EOF":
            self.say(line.rstrip("\n"))
        word, _, rest = line.strip().partition(" ")
        return f"{ALIASES.get(word, word)} {rest}".strip()

    def onecmd(self, line: str) -> bool:
        """Run one command; a bad one prints a message and the session goes on."""
        try:
            return bool(super().onecmd(line))
        except NeurographError as err:
            self.say(f"*** {err}")
        except Exception as err:  # a bug must not end the learner's session either
            self.say(f"*** internal error, please report it: {type(err).__name__}: {err}")
        return False

    def emptyline(self) -> bool:
        """An empty line repeats step, next or back (as in pdb); else does nothing."""
        if self.lastcmd.split(" ")[0] in REPEATABLE:
            return self.onecmd(self.lastcmd)
        return False

    def default(self, line: str) -> None:
        """An unknown command: suggest the closest one."""
        word = line.split()[0]
        names = [name[3:] for name in self.get_names() if name.startswith("do_")]
        close = difflib.get_close_matches(word, names + list(ALIASES), n=1, cutoff=0.5)
        hint = f"; did you mean {ALIASES.get(close[0], close[0])!r}?" if close else ""
        self.say(f"*** unknown command {word!r}{hint} (type help for the list)")

    def get_names(self) -> list[str]:
        """The attribute names help and completion list (end of input is no command)."""
        return [name for name in super().get_names() if name != "do_EOF"]

    def do_help(self, arg: str) -> bool | None:
        """help [COMMAND]: list the commands, or explain one."""
        name = ALIASES.get(arg.strip(), arg.strip())
        method = getattr(self, f"do_{name}", None)
        if name and method is not None and not hasattr(self, f"help_{name}"):
            self.say(inspect.cleandoc(method.__doc__ or ""))
            return None
        return super().do_help(name)

    def _complete_neuron(self, text: str, *ignored: Any) -> list[str]:
        return [n.name for n in self.dbg.net.graph if str(n.name).startswith(text)]

    complete_break = complete_print = complete_watch = complete_unwatch = _complete_neuron

    # -- showing ----------------------------------------------------------------------------
    def show(self, event: Any) -> None:
        """Print the current position and `event`'s equations."""
        self.say(self.dbg.where().title)
        for line in event.lines():
            self.say("  " + line)

    def show_watches(self) -> None:
        for line in self.dbg.watch_lines():
            self.say(line)

    def count(self, arg: str) -> int:
        """The optional count of step and back (default 1)."""
        if not arg.strip():
            return 1
        if not arg.strip().isdigit() or int(arg) < 1:
            msg = f"expected a count such as 3, got {arg.strip()!r}"
            raise UsageError(msg)
        return int(arg)

    def at_end(self) -> bool:
        if self.dbg.finished:
            self.say(f"*** finished: all {self.dbg.total} events done; use back, or quit")
        return self.dbg.finished

    # -- moving -----------------------------------------------------------------------------
    def do_step(self, arg: str) -> None:
        """step [N]: apply the next event (or the next N), printing each with its numbers."""
        n = self.count(arg)
        if self.at_end():
            return
        for _ in range(n):
            event = self.dbg.step()
            if event is None:
                self.say(f"(stopped: all {self.dbg.total} events are done)")
                break
            self.show(event)
        self.show_watches()

    def do_next(self, arg: str) -> None:
        """next: finish the current layer (or run the next one), stopping at breakpoints."""
        if self.at_end():
            return
        start = self.dbg.position
        event = self.dbg.next_layer()
        self.report_hits()
        if self.dbg.position - start > 1:
            self.say(f"(ran {self.dbg.position - start} events)")
        self.show(event)
        self.show_watches()

    def do_back(self, arg: str) -> None:
        """back [N]: undo the latest event (or N), restoring every value it changed."""
        n = self.count(arg)
        if self.dbg.position == 0:
            self.say("*** at the start: nothing to undo")
            return
        start = self.dbg.position
        event = self.dbg.back(n)
        if start - self.dbg.position > 1 or event is None:
            self.say(f"undid {start - self.dbg.position} events")
        else:
            neuron = getattr(event, "neuron", None)
            self.say(f"undid {event.phase}" + ("" if neuron is None else f" {neuron.name}"))
        if start - self.dbg.position < n:
            self.say("(stopped at the start)")
        self.say(str(self.dbg.where()))
        self.show_watches()

    def do_continue(self, arg: str) -> None:
        """continue: step until a breakpoint matches, or to the end."""
        if self.at_end():
            return
        event = self.dbg.continue_()
        if event is None:
            self.say(f"(reached the end: {self.dbg.total} events, no breakpoint matched)")
            return
        self.report_hits()
        self.show(event)
        self.show_watches()

    def do_run(self, arg: str) -> None:
        """run: apply every remaining event, ignoring breakpoints."""
        if self.at_end():
            return
        start = self.dbg.position
        event = self.dbg.run()
        self.say(f"(ran {self.dbg.position - start} events: finished)")
        self.show(event)
        self.show_watches()

    def report_hits(self) -> None:
        for bp in self.dbg.hits:
            self.say(f"Breakpoint {bp}")

    # -- breakpoints, watches, looking --------------------------------------------------------
    def do_break(self, arg: str) -> None:
        """break NAME | break layer N | break phase P | break if EXPR: stop continue there.

        NAME, layer and phase may end with "if EXPR"; with no argument, list the
        breakpoints. A layer is the book's l (2 = the first after the inputs) or a prefix
        like L2; phases: forward, cost, backward, update. See help conditions for EXPR.
        """
        what, _, condition = arg.partition(" if ")
        if arg.strip().startswith("if "):
            what, condition = "", arg.strip()[3:]
        words, when = what.split(), (condition or None)
        if not words and when is None:
            for bp in self.dbg.breakpoints:
                self.say(f"Breakpoint {bp}")
            if not self.dbg.breakpoints:
                self.say("no breakpoints")
            return
        if words and words[0] in ("layer", "phase") and len(words) == 2:
            part = {words[0]: words[1]}
            bp = self.dbg.break_at(when=when, **part)  # type: ignore[arg-type]
        elif len(words) <= 1:
            bp = self.dbg.break_at(words[0] if words else None, when=when)
        else:
            msg = f"cannot read {arg!r}; try: break L2.3, break layer 2, break if |delta| > 0.1"
            raise UsageError(msg)
        self.say(f"Breakpoint {bp}")

    def do_delete(self, arg: str) -> None:
        """delete [N ...]: remove breakpoints by number (all of them without a number)."""
        if any(not word.isdigit() for word in arg.split()):
            msg = f"expected breakpoint numbers, got {arg.strip()!r}"
            raise UsageError(msg)
        gone = self.dbg.clear_breakpoints(*(int(word) for word in arg.split()))
        self.say(f"deleted {len(gone)} breakpoint{'s' * (len(gone) != 1)}")

    def do_clear(self, arg: str) -> None:
        """clear [N ...]: the same as delete."""
        self.do_delete(arg)

    def do_watch(self, arg: str) -> None:
        """watch NAME: print NAME's z, a, δ after every step; watch alone shows the watches."""
        if arg.strip():
            self.dbg.watch(arg.strip())
        if not self.dbg.watches:
            self.say("no watches")
        self.show_watches()

    def do_unwatch(self, arg: str) -> None:
        """unwatch [NAME]: stop watching NAME (every neuron without a name)."""
        self.dbg.unwatch(arg.strip() or None)

    def do_print(self, arg: str) -> None:
        """print NAME (or inspect NAME): NAME's values now (b, z, a, δ, ∂C/∂b), its edges."""
        if not arg.strip():
            msg = "print what? give a neuron's name, e.g. print L2.3"
            raise UsageError(msg)
        self.say(self.dbg.inspect(arg.strip()))

    def do_where(self, arg: str) -> None:
        """where: the position, the current event's equations and the watches."""
        self.say(self.dbg.describe())

    def do_draw(self, arg: str) -> None:
        """draw FILE: draw the network so far (.svg, .png, .pdf or .dot), this neuron marked."""
        if not arg.strip():
            msg = "draw where? give a file name, e.g. draw step.svg"
            raise UsageError(msg)
        from neurograph.pictures.diagram import render

        self.say(f"wrote {render(self.dbg.draw(), arg.strip())}")

    def do_quit(self, arg: str) -> bool:
        """quit: leave the debugger."""
        return True

    def do_EOF(self, arg: str) -> bool:  # the name cmd.Cmd gives the end of the input
        """Leave at the end of the input."""
        self.say()
        return True

    def help_conditions(self) -> None:
        self.say(
            "A condition compares a value of the event with a number:\n"
            "  |delta| > 0.1    a < 0.5    z >= 2    cost > 1    bias_grad != 0\n"
            "Names: a, z, delta (δ), bias_grad, sigma_prime, bias, cost (C); ops: "
            "< <= > >= == !=.\nJoin with and / or; a value the event lacks makes it false."
        )
