package org.refusalscope.headless.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.refusalscope.core.registry.StrategyRegistry;
import org.refusalscope.headless.Cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Runs {@code bench-worker} tasks. The product runs each in a child JVM started like this one (same Java, JVM
 * options and Equinox launcher), so the child's peak RSS belongs to that task alone; tests run them in-process.
 */
public interface WorkerLauncher {

	/** Runs {@code bench-worker <args>}; returns its JSON object or throws with its last error line. */
	JsonObject run(List<String> args);

	/** Whether peak memory figures come from separate processes. */
	boolean separateProcesses();

	static WorkerLauncher inProcess(Supplier<StrategyRegistry> registry, PrintStream err) {
		return new WorkerLauncher() {
			@Override
			public JsonObject run(List<String> args) {
				List<String> all = new ArrayList<>();
				all.add("bench-worker");
				all.addAll(args);
				ByteArrayOutputStream out = new ByteArrayOutputStream();
				int code = Cli.run(all.toArray(String[]::new), registry, new PrintStream(out, true, StandardCharsets.UTF_8),
						err);
				return parse(code, out.toString(StandardCharsets.UTF_8), "bench-worker " + String.join(" ", args));
			}

			@Override
			public boolean separateProcesses() {
				return false;
			}
		};
	}

	/**
	 * Child JVMs from this process's own command line: everything up to {@code -application <id>} is kept, the
	 * application arguments are replaced by the worker's.
	 */
	static WorkerLauncher childJvm(PrintStream err) {
		ProcessHandle.Info info = ProcessHandle.current().info();
		String java = info.command().orElseThrow(() -> new IllegalStateException("cannot read this JVM's command"));
		String[] arguments = info.arguments().orElseThrow(() -> new IllegalStateException("cannot read this JVM's arguments"));
		List<String> prefix = new ArrayList<>();
		prefix.add(java);
		int application = -1;
		for(int i = 0; i < arguments.length; i++) {
			prefix.add(arguments[i]);
			if(arguments[i].equals("-application") && i + 1 < arguments.length) {
				prefix.add(arguments[i + 1]);
				application = i + 1;
				break;
			}
		}
		if(application < 0) {
			throw new IllegalStateException("not started by the Equinox launcher with -application; use --in-process");
		}
		return new WorkerLauncher() {
			@Override
			public JsonObject run(List<String> args) {
				List<String> command = new ArrayList<>(prefix);
				command.add("bench-worker");
				command.addAll(args);
				try {
					Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
					process.getOutputStream().close();
					String out;
					try(InputStream stdout = process.getInputStream()) {
						out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
					}
					int code = process.waitFor();
					return parse(code, out, "bench-worker " + String.join(" ", args));
				} catch(IOException e) {
					throw new IllegalStateException("cannot start a worker JVM: " + e.getMessage(), e);
				} catch(InterruptedException e) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException("interrupted while waiting for a worker JVM", e);
				}
			}

			@Override
			public boolean separateProcesses() {
				return true;
			}
		};
	}

	private static JsonObject parse(int code, String out, String what) {
		String text = out.strip();
		int brace = text.lastIndexOf("\n{");
		String json = brace >= 0 ? text.substring(brace + 1) : text;
		if(code != 0 || !json.startsWith("{")) {
			throw new IllegalStateException(what + " failed with exit code " + code
					+ (json.startsWith("{") ? ": " + json : " (see its messages above)"));
		}
		JsonObject result = JsonParser.parseString(json).getAsJsonObject();
		if(result.has("error")) {
			throw new IllegalStateException(result.get("error").getAsString());
		}
		return result;
	}
}
