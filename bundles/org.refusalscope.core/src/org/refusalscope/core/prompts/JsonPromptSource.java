package org.refusalscope.core.prompts;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.refusalscope.api.prompts.Prompt;
import org.refusalscope.api.prompts.PromptFormatException;
import org.refusalscope.api.prompts.PromptSource;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;

/**
 * {@code .json} files holding a list of strings, or a list of objects with {@code instruction} (and optional
 * {@code category}), the format of Arditi et al.'s processed datasets.
 */
@Component(service = PromptSource.class)
public class JsonPromptSource implements PromptSource {

	@Override
	public String id() {
		return "json";
	}

	@Override
	public String name() {
		return "JSON prompt list";
	}

	@Override
	public String description() {
		return "A .json list of strings, or of objects with an 'instruction' field (refusal_direction format).";
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
		return file.getFileName().toString().toLowerCase().endsWith(".json");
	}

	@Override
	public List<Prompt> read(Path file) throws IOException {
		JsonElement root;
		try(Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			JsonReader json = new JsonReader(reader);
			try {
				root = JsonParser.parseReader(json);
			} catch(JsonParseException e) {
				throw new PromptFormatException(file, lineOf(e), "invalid JSON: " + rootCause(e));
			}
		}
		if(!root.isJsonArray()) {
			throw new PromptFormatException(file, 1, "expected a JSON list of strings or of objects with 'instruction'");
		}
		JsonArray items = root.getAsJsonArray();
		List<Prompt> prompts = new ArrayList<>(items.size());
		for(int i = 0; i < items.size(); i++) {
			JsonElement item = items.get(i);
			String where = file.getFileName() + "[" + i + "]";
			if(item.isJsonPrimitive() && item.getAsJsonPrimitive().isString()) {
				prompts.add(new Prompt(item.getAsString(), null, where));
			} else if(item.isJsonObject() && item.getAsJsonObject().has("instruction")) {
				JsonObject object = item.getAsJsonObject();
				JsonElement category = object.get("category");
				prompts.add(new Prompt(object.get("instruction").getAsString(),
						category == null || category.isJsonNull() ? null : category.getAsString(), where));
			} else {
				throw new PromptFormatException(file, 0, "item " + i + " is neither a string nor an object with 'instruction': "
						+ abbreviate(item.toString()));
			}
		}
		return prompts;
	}

	private static int lineOf(JsonParseException e) {
		String message = rootCause(e);
		int at = message.indexOf(" line ");
		if(at >= 0) {
			String digits = message.substring(at + 6).replaceAll("(?s)^(\\d+).*$", "$1");
			try {
				return Integer.parseInt(digits);
			} catch(NumberFormatException ignored) {
				// no line in the message
			}
		}
		return 0;
	}

	private static String rootCause(Throwable e) {
		Throwable cause = e;
		while(cause.getCause() != null) {
			cause = cause.getCause();
		}
		String message = String.valueOf(cause.getMessage());
		int newline = message.indexOf('\n');
		return newline < 0 ? message : message.substring(0, newline); // drop Gson's troubleshooting link
	}

	private static String abbreviate(String text) {
		return text.length() > 80 ? text.substring(0, 77) + "..." : text;
	}
}
