package org.refusalscope.ui.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The headless command equivalent to a run set up in the workbench: the saved configuration plus the prompt files,
 * which are command-line inputs rather than settings ({@code ./refusalscope dissect --config run.json --prompts ...}).
 */
public final class DissectCommand {

	private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

	private DissectCommand() {
	}

	/**
	 * @param prompts  prompts to dissect, or null for the built-in set
	 * @param harmful  harmful side of the direction, or null for the default
	 * @param harmless harmless side of the direction, or null for the default
	 */
	public static String of(Path config, Path prompts, Path harmful, Path harmless) {
		List<String> words = new ArrayList<>(List.of("./refusalscope", "dissect", "--config", quote(config.toString())));
		add(words, "--prompts", prompts);
		add(words, "--harmful", harmful);
		add(words, "--harmless", harmless);
		return String.join(" ", words);
	}

	private static void add(List<String> words, String flag, Path value) {
		if(value != null) {
			words.add(flag);
			words.add(quote(value.toString()));
		}
	}

	/** POSIX shell quoting: plain words stay as they are, anything else goes in single quotes. */
	static String quote(String word) {
		if(SAFE.matcher(word).matches()) {
			return word;
		}
		return "'" + word.replace("'", "'\\''") + "'";
	}
}
