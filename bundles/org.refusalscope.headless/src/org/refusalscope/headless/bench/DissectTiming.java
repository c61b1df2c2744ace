package org.refusalscope.headless.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** Wall time of a whole default {@code dissect} in a child JVM, as a user runs it (start-up included). */
public final class DissectTiming {

	private DissectTiming() {
	}

	public static BenchRunner.DissectTimer childJvm() {
		return () -> {
			ProcessHandle.Info info = ProcessHandle.current().info();
			String[] arguments = info.arguments().orElseThrow();
			List<String> command = new ArrayList<>();
			command.add(info.command().orElseThrow());
			for(int i = 0; i < arguments.length; i++) {
				command.add(arguments[i]);
				if(arguments[i].equals("-application") && i + 1 < arguments.length) {
					command.add(arguments[i + 1]);
					break;
				}
			}
			command.addAll(List.of("dissect", "--json"));
			long start = System.nanoTime();
			Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
			process.getOutputStream().close();
			String out;
			try(InputStream stdout = process.getInputStream()) {
				out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8).strip();
			}
			int code = process.waitFor();
			double seconds = (System.nanoTime() - start) / 1e9;
			if(code != 0) {
				throw new IOException("dissect exited with code " + code);
			}
			JsonObject result = new JsonObject();
			result.addProperty("wall_s", Stats.round(seconds));
			result.addProperty("command", "dissect --json");
			try {
				JsonObject summary = JsonParser.parseString(out.substring(out.lastIndexOf("\n{") + 1)).getAsJsonObject();
				result.add("summary", summary);
			} catch(RuntimeException e) {
				// the time is what the benchmark needs; a summary that does not parse is left out
			}
			return result;
		};
	}
}
