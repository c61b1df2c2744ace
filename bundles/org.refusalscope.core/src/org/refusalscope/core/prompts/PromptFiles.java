package org.refusalscope.core.prompts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import org.refusalscope.api.Strategy;
import org.refusalscope.api.prompts.Prompt;
import org.refusalscope.api.prompts.PromptFormatException;
import org.refusalscope.api.prompts.PromptSource;

/** Reads a prompt file with the first registered source that accepts it (specific formats before plain text). */
public final class PromptFiles {

	private PromptFiles() {
	}

	public static List<Prompt> read(Path file, List<? extends Strategy<?>> sources) throws IOException {
		if(!Files.isRegularFile(file)) {
			throw new NoSuchFileException(file.toString(), null, "prompt file not found");
		}
		PromptSource fallback = null;
		for(Strategy<?> strategy : sources) {
			PromptSource source = (PromptSource) strategy;
			if("text".equals(source.id())) {
				fallback = source;
			} else if(source.canRead(file)) {
				return checkNotEmpty(file, source.read(file));
			}
		}
		if(fallback != null && fallback.canRead(file)) {
			return checkNotEmpty(file, fallback.read(file));
		}
		throw new PromptFormatException(file, 0, "no prompt source reads this file");
	}

	private static List<Prompt> checkNotEmpty(Path file, List<Prompt> prompts) throws PromptFormatException {
		if(prompts.isEmpty()) {
			throw new PromptFormatException(file, 0, "no prompts in file");
		}
		return prompts;
	}
}
