package org.refusalscope.sae;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the SAE folders of a format at a location: the folder itself (or the folder of a given file) when it holds
 * every marker file of the format, else its sub-folders that do, ordered by the layer of a {@code layer_<L>} name,
 * then by name. Shared by the folder-based providers (SAELens, Llama Scope).
 */
public final class SaeFolders {

	private static final Pattern LAYER_FOLDER = Pattern.compile("layer_(\\d+)");

	private SaeFolders() {
	}

	public static List<Path> find(Path location, String... markers) {
		Path folder = Files.isRegularFile(location) ? location.getParent() : location;
		if(folder == null || !Files.isDirectory(folder)) {
			return List.of();
		}
		if(holdsAll(folder, markers)) {
			return List.of(folder);
		}
		try(Stream<Path> children = Files.list(folder)) {
			return children.filter(child -> holdsAll(child, markers))
					.sorted(Comparator.comparingInt(SaeFolders::layerOf).thenComparing(Path::toString)).toList();
		} catch(IOException e) {
			return List.of();
		}
	}

	/** The layer of a {@code layer_<L>} folder name, or -1. */
	public static int layerOf(Path folder) {
		Matcher matcher = LAYER_FOLDER.matcher(folder.getFileName().toString());
		return matcher.matches() ? Integer.parseInt(matcher.group(1)) : -1;
	}

	private static boolean holdsAll(Path folder, String... markers) {
		for(String marker : markers) {
			if(!Files.isRegularFile(folder.resolve(marker))) {
				return false;
			}
		}
		return true;
	}
}
