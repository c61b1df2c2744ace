package org.refusalscope.headless;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.function.Supplier;

import org.refusalscope.core.registry.StrategyRegistry;
import org.refusalscope.headless.commands.BenchCommand;
import org.refusalscope.headless.commands.BenchWorkerCommand;
import org.refusalscope.headless.commands.GenerateCommand;
import org.refusalscope.headless.commands.InspectCommand;
import org.refusalscope.headless.commands.DissectCommand;
import org.refusalscope.headless.commands.EvalCommand;
import org.refusalscope.headless.commands.RootCommand;
import org.refusalscope.headless.commands.StrategiesCommand;
import org.refusalscope.headless.commands.TrainModelCommand;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Builds the picocli command tree and maps outcomes to exit codes: 0 success, 2 bad usage, 1 any other error,
 * with a one-line message on stderr.
 */
public final class Cli {

	public static final int EXIT_OK = 0;
	public static final int EXIT_ERROR = 1;
	public static final int EXIT_USAGE = 2;

	private Cli() {
	}

	public static int run(String[] args, Supplier<StrategyRegistry> registry, PrintStream out, PrintStream err) {
		CliContext context = new CliContext(registry, out, err);
		CommandLine commandLine = create(context);
		commandLine.setOut(new PrintWriter(out, true));
		commandLine.setErr(new PrintWriter(err, true));
		commandLine.setParameterExceptionHandler((ParameterException e, String[] a) -> {
			err.println("refusalscope: " + e.getMessage());
			err.println("Try './refusalscope " + qualifiedName(e.getCommandLine()) + "--help'.");
			return EXIT_USAGE;
		});
		commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
			if(e instanceof UsageException) {
				err.println("refusalscope " + cmd.getCommandName() + ": " + e.getMessage());
				return EXIT_USAGE;
			}
			err.println("refusalscope " + cmd.getCommandName() + ": " + oneLine(e));
			if(Boolean.getBoolean("refusalscope.debug")) {
				e.printStackTrace(err);
			}
			return EXIT_ERROR;
		});
		return commandLine.execute(args);
	}

	public static CommandLine create(CliContext context) {
		CommandLine commandLine = new CommandLine(new RootCommand(context));
		commandLine.addSubcommand("strategies", new StrategiesCommand(context));
		commandLine.addSubcommand("bench", new BenchCommand(context));
		commandLine.addSubcommand("bench-worker", new BenchWorkerCommand(context));
		commandLine.addSubcommand("inspect", new InspectCommand(context));
		commandLine.addSubcommand("generate", new GenerateCommand(context));
		commandLine.addSubcommand("train-sae", new org.refusalscope.headless.commands.sae.TrainSaeCommand(context));
		commandLine.addSubcommand("sae-eval", new org.refusalscope.headless.commands.sae.SaeEvalCommand(context));
		commandLine.addSubcommand("dissect", new DissectCommand(context));
		commandLine.addSubcommand("eval", new EvalCommand(context));
		commandLine.addSubcommand("train-model", new TrainModelCommand(context));
		return commandLine;
	}

	private static String qualifiedName(CommandLine commandLine) {
		String name = commandLine.getCommandName();
		return commandLine.getParent() == null ? "" : name + " ";
	}

	static String oneLine(Throwable e) {
		String message = e.getMessage();
		if(message == null || message.isBlank()) {
			message = e.getClass().getSimpleName();
		}
		return message.replace('\n', ' ');
	}
}
