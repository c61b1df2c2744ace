package org.refusalscope.headless.commands;

import org.refusalscope.headless.CliContext;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "refusalscope", mixinStandardHelpOptions = true, version = "RefusalScope 0.1.0",
		description = "Dissects why instruction-tuned language models refuse harmful requests, through SAE features.",
		commandListHeading = "%nCommands:%n", footer = {"", "Run './refusalscope COMMAND --help' for a command's options."})
public class RootCommand implements Runnable {

	@Spec
	CommandSpec spec;

	public RootCommand(CliContext context) {
		// the root only dispatches; the context is used by subcommands
	}

	@Override
	public void run() {
		throw new ParameterException(spec.commandLine(), "missing command");
	}
}
