package org.refusalscope.ui.app;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The workbench's own program arguments ({@code ./refusalscope ui --run DIR --screenshot FILE.png}). Single-dash
 * arguments belong to Equinox/e4 (e.g. {@code -clearPersistedState}) and are ignored here.
 */
public record WorkbenchArguments(Optional<Path> run, Optional<Path> screenshot, boolean setup) {

	public static final String USAGE = "usage: refusalscope ui [--run DIR] [--screenshot FILE.png] [--perspective results|setup]"
			+ " (a results screenshot needs --run)";

	public static WorkbenchArguments parse(String[] args) {
		Path run = null;
		Path screenshot = null;
		boolean setup = false;
		for(int i = 0; i < args.length; i++) {
			String arg = args[i];
			if(!arg.startsWith("--")) {
				continue;
			}
			String value;
			String name = arg;
			int equals = arg.indexOf('=');
			if(equals > 0) {
				name = arg.substring(0, equals);
				value = arg.substring(equals + 1);
			} else {
				if(i + 1 >= args.length) {
					throw new IllegalArgumentException(arg + " needs a value; " + USAGE);
				}
				value = args[++i];
			}
			switch(name) {
				case "--run" -> run = Path.of(value);
				case "--screenshot" -> screenshot = Path.of(value);
				case "--perspective" -> setup = switch(value) {
					case "results" -> false;
					case "setup" -> true;
					default -> throw new IllegalArgumentException("--perspective must be results or setup, not '" + value + "'; " + USAGE);
				};
				default -> throw new IllegalArgumentException("unknown option " + name + "; " + USAGE);
			}
		}
		if(screenshot != null && run == null && !setup) {
			throw new IllegalArgumentException("--screenshot needs --run DIR; " + USAGE);
		}
		return new WorkbenchArguments(Optional.ofNullable(run), Optional.ofNullable(screenshot), setup);
	}
}
