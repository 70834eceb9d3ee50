package org.proxyinfo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar impl/target/proxyinfo.jar <command>}: the one entry point of the executable jar.
 * Each subcommand is one class in this package, listed here.
 *
 * Whatever the input, a person sees one line saying what went wrong and what to do (issue 17):
 * usage errors exit 2 with the message and where the help is; an unexpected failure exits 1 with
 * one line, never a stack trace (set PROXYINFO_DEBUG=1 to see it), also for an Error such as OutOfMemoryError.
 */
@Command(name = "proxyinfo",
        mixinStandardHelpOptions = true,
        version = Main.VERSION,
        description = "Reference implementation of the TLS Proxy Server Extension (proxy_info).",
        subcommands = {
            PkiCommand.class,
            ServerCommand.class,
            ClientCommand.class,
            ProxyCommand.class,
            DemoCommand.class,
            TraceCommand.class,
            CheckCommand.class,
        })
public final class Main implements Runnable {
    static final String VERSION = "proxyinfo 0.1.0 (TLS 1.2 + draft-mcgrew-tls-proxy-server-01 proxy_info)";

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        // No subcommand: the overview of every command, exit 0.
        spec.commandLine().usage(spec.commandLine().getOut());
        spec.commandLine().getOut().flush();
    }

    /** The command line as {@link #main} runs it: version on every subcommand, one-line errors. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        setVersion(cl);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + oneLine(ex.getMessage()));
            cmd.getErr().println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
            cmd.getErr().flush();
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            Throwable root = ex;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String what = root.getMessage() == null ? root.getClass().getSimpleName() : oneLine(root.getMessage());
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": error: " + what);
            if (System.getenv("PROXYINFO_DEBUG") != null) {
                ex.printStackTrace(new java.io.PrintWriter(cmd.getErr(), true));
            }
            cmd.getErr().flush();
            return 1;
        });
        // An Error (OutOfMemoryError, StackOverflowError) passes picocli's handlers, which take Exceptions only, and
        // the JVM would print its stack trace: one line and exit 1 instead. The inputs that caused them are bounded
        // (impl/HOSTILE.md, section 4); this is the last line of defence.
        CommandLine.IExecutionStrategy run = new CommandLine.RunLast();
        cl.setExecutionStrategy(parseResult -> {
            try {
                return run.execute(parseResult);
            } catch (VirtualMachineError e) {
                CommandLine cmd = parseResult.commandSpec().commandLine();
                while (parseResult.hasSubcommand()) {
                    parseResult = parseResult.subcommand();
                    cmd = parseResult.commandSpec().commandLine();
                }
                cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": error: "
                        + (e instanceof OutOfMemoryError ? "out of memory" : "the JVM failed") + " (" + oneLine(String.valueOf(e.getMessage()))
                        + "): the input is too large or too deep for this tool; check the files and options you gave");
                if (System.getenv("PROXYINFO_DEBUG") != null) {
                    e.printStackTrace(new java.io.PrintWriter(cmd.getErr(), true));
                }
                cmd.getErr().flush();
                return 1;
            }
        });
        return cl;
    }

    private static void setVersion(CommandLine cl) {
        cl.getCommandSpec().version(VERSION);
        for (CommandLine sub : cl.getSubcommands().values()) {
            setVersion(sub);
        }
    }

    static String oneLine(String s) {
        String line = s == null ? "" : s.replaceAll("\\s+", " ").trim();
        return line.length() <= 300 ? line : line.substring(0, 280) + "... (" + line.length() + " characters)";
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
