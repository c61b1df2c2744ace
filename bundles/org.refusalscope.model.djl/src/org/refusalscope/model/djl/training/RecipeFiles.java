package org.refusalscope.model.djl.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.refusalscope.core.io.AtomicFiles;
import org.refusalscope.core.json.Json;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;

/**
 * Recipes as JSON files, so that an experiment is a file, not a code change. A file names only what it changes:
 * its fields override those of a named recipe ({@code "basedOn"}, "default" when absent), nested {@code shape}
 * fields one by one; its name is the file's unless it sets {@code "name"}. The trainer writes the complete recipe
 * of every run to {@code <out>/training/recipe.json}, which is itself a valid recipe file.
 */
public final class RecipeFiles {

	private RecipeFiles() {
	}

	/** Whether a --recipe argument names a recipe file rather than a built-in recipe. */
	public static boolean isFile(String recipe) {
		return recipe.endsWith(".json");
	}

	public static TrainingRecipe read(Path file, Map<String, TrainingRecipe> builtIn) throws IOException {
		if(!Files.isRegularFile(file)) {
			throw new IOException(file + ": no such recipe file");
		}
		JsonObject given = Json.read(file, JsonObject.class);
		JsonElement basedOn = given.remove("basedOn");
		String baseName = basedOn == null ? "default" : basedOn.getAsString();
		TrainingRecipe base = builtIn.get(baseName);
		if(base == null) {
			throw new IOException(file + ": \"basedOn\": unknown recipe '" + baseName + "' (known: " + String.join(", ", builtIn.keySet()) + ")");
		}
		JsonObject merged = Json.tree(base).getAsJsonObject();
		if(!given.has("name")) {
			String fileName = file.getFileName().toString();
			merged.addProperty("name", fileName.substring(0, fileName.length() - ".json".length()));
		}
		overlay(merged, given, file, "");
		try {
			return Json.convert(merged, TrainingRecipe.class);
		} catch(JsonParseException | IllegalStateException | NumberFormatException e) {
			throw new IOException(file + ": not a valid recipe: " + e.getMessage(), e);
		}
	}

	public static void write(TrainingRecipe recipe, Path file) throws IOException {
		AtomicFiles.writeString(file, Json.write(recipe));
	}

	private static void overlay(JsonObject target, JsonObject given, Path file, String prefix) throws IOException {
		for(Map.Entry<String, JsonElement> field : given.entrySet()) {
			String key = field.getKey();
			JsonElement known = target.get(key);
			if(known == null) {
				throw new IOException(file + ": unknown recipe field '" + prefix + key + "' (known: " + String.join(", ", target.keySet()) + ")");
			}
			if(known.isJsonObject() != field.getValue().isJsonObject()) {
				throw new IOException(file + ": recipe field '" + prefix + key + "' must be " + (known.isJsonObject() ? "an object" : "a value"));
			}
			if(known.isJsonObject()) {
				overlay(known.getAsJsonObject(), field.getValue().getAsJsonObject(), file, prefix + key + ".");
			} else {
				target.add(key, field.getValue());
			}
		}
	}
}
