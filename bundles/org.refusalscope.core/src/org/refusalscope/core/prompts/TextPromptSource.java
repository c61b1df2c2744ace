package org.refusalscope.core.prompts;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.refusalscope.api.prompts.Prompt;
import org.refusalscope.api.prompts.PromptFormatException;
import org.refusalscope.api.prompts.PromptSource;

/** Any other file: one prompt per non-empty line. */
@Component(service = PromptSource.class)
public class TextPromptSource implements PromptSource {

	@Override
	public String id() {
		return "text";
	}

	@Override
	public String name() {
		return "Plain text, one prompt per line";
	}

	@Override
	public String description() {
		return "Any file that is not .json or .csv: one prompt per non-empty line (UTF-8).";
	}

	@Override
	public Class<Void> settingsType() {
		return Void.class;
	}

	@Override
	public Void defaultSettings() {
		return null;
	}

	@Override
	public boolean canRead(Path file) {
		String name = file.getFileName().toString().toLowerCase();
		return !name.endsWith(".json") && !name.endsWith(".csv");
	}

	@Override
	public List<Prompt> read(Path file) throws IOException {
		List<String> lines;
		try {
			lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		} catch(CharacterCodingException e) {
			throw new PromptFormatException(file, 0, "not UTF-8 text");
		}
		List<Prompt> prompts = new ArrayList<>();
		for(int i = 0; i < lines.size(); i++) {
			String line = lines.get(i).strip();
			if(line.indexOf('\0') >= 0) {
				throw new PromptFormatException(file, i + 1, "binary content (NUL byte)");
			}
			if(!line.isEmpty()) {
				prompts.add(new Prompt(line, null, file.getFileName() + ":" + (i + 1)));
			}
		}
		return prompts;
	}
}
