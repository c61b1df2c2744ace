package org.refusalscope.ui.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where {@code ./refusalscope} is and the argument list of a dissect run started from the workbench. */
public final class DissectLauncher {

	/** Set by the launcher script ({@code -Drefusalscope.home}). */
	public static final String HOME_PROPERTY = "refusalscope.home";

	private DissectLauncher() {
	}

	/** The launcher script of this installation; a clear error when the workbench was not started by it. */
	public static Path script() {
		String home = System.getProperty(HOME_PROPERTY);
		if(home == null) {
			throw new IllegalStateException("-D" + HOME_PROPERTY + " is not set: start the workbench with ./refusalscope ui");
		}
		Path script = Path.of(home, "refusalscope");
		if(!Files.isExecutable(script)) {
			throw new IllegalStateException(script + ": not an executable launcher script");
		}
		return script;
	}

	/**
	 * @param prompts  prompts to dissect or null (built-in set); likewise {@code harmful}, {@code harmless}
	 * @param resume   continue the run in {@code out} after its finished prompts
	 */
	public static List<String> command(Path script, Path config, Path out, boolean resume, Path prompts, Path harmful,
			Path harmless) {
		List<String> words = new ArrayList<>(List.of(script.toString(), "dissect", "--config", config.toString(), "--out",
				out.toString()));
		if(resume) {
			words.add("--resume");
		}
		add(words, "--prompts", prompts);
		add(words, "--harmful", harmful);
		add(words, "--harmless", harmless);
		return words;
	}

	private static void add(List<String> words, String flag, Path value) {
		if(value != null) {
			words.add(flag);
			words.add(value.toString());
		}
	}
}
