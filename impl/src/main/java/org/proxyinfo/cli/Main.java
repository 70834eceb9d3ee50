package org.proxyinfo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar impl/target/proxyinfo.jar <command>}: the one entry point of the executable jar.
 * Each subcommand is one class in this package, listed here.
 */
@Command(name = "proxyinfo",
        mixinStandardHelpOptions = true,
        version = "proxyinfo 0.1.0 (TLS 1.2 + draft-mcgrew-tls-proxy-server-01 proxy_info)",
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

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
