package org.refusalscope.sae.gemmascope;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.osgi.service.component.annotations.Component;
import org.refusalscope.api.TensorView;
import org.refusalscope.api.model.HookPoint;
import org.refusalscope.api.sae.SaeArchitecture;
import org.refusalscope.api.sae.SaeInfo;
import org.refusalscope.api.sae.SaeLoadOptions;
import org.refusalscope.api.sae.SaeProvider;
import org.refusalscope.api.sae.SaeWeights;
import org.refusalscope.api.sae.SparseAutoencoder;
import org.refusalscope.io.npy.NpzFile;
import org.refusalscope.sae.LazySparseAutoencoder;
import org.refusalscope.sae.SaeChecks;

/**
 * Gemma Scope SAEs ({@code google/gemma-scope-*}): {@code params.npz} with {@code W_enc [d_model, d_sae]},
 * {@code W_dec [d_sae, d_model]}, {@code b_enc}, {@code b_dec}, {@code threshold [d_sae]}; JumpReLU, no b_dec
 * subtraction from the input (anchors.md 2.1). There is no config file: layer, width and L0 come from the
 * conventional path {@code layer_<L>/width_<W>/average_l0_<K>/}, otherwise the layer from the load options. A folder
 * holding several {@code params.npz} below it yields one SAE per file.
 */
@Component(service = SaeProvider.class)
public class GemmaScopeProvider implements SaeProvider {

	public static final String ID = "gemmascope";
	private static final String PARAMS = "params.npz";
	private static final Pattern LAYER = Pattern.compile("layer_(\\d+)");
	private static final Pattern L0 = Pattern.compile("average_l0_(\\d+)");
	/** Gemma-2-2B's hidden size: the only Gemma Scope model whose Neuronpedia ids we construct. */
	private static final int GEMMA_2_2B_D_MODEL = 2304;

	@Override
	public String id() {
		return ID;
	}

	@Override
	public String name() {
		return "Gemma Scope (params.npz)";
	}

	@Override
	public String description() {
		return "Reads Gemma Scope JumpReLU SAEs (params.npz, memory-mapped); layer/width/L0 from the layer_<L>/width_<W>/average_l0_<K> path.";
	}


	@Override
	public boolean canLoad(Path location) {
		if(Files.isRegularFile(location)) {
			return location.getFileName().toString().endsWith(".npz") && hasGemmaScopeArrays(location);
		}
		return Files.isDirectory(location) && !paramsFiles(location).isEmpty();
	}

	private static boolean hasGemmaScopeArrays(Path npzPath) {
		try(NpzFile npz = NpzFile.open(npzPath)) {
			return findName(npz, "W_enc") != null && findName(npz, "W_dec") != null;
		} catch(IOException e) {
			return false;
		}
	}

	/** params.npz files at or below {@code folder} (up to the depth of layer_/width_/average_l0_ folders). */
	private static List<Path> paramsFiles(Path folder) {
		try(Stream<Path> files = Files.walk(folder, 4)) {
			return files.filter(p -> p.getFileName().toString().equals(PARAMS) && Files.isRegularFile(p)).sorted().toList();
		} catch(IOException e) {
			return List.of();
		}
	}

	@Override
	public List<SparseAutoencoder> load(Path location, SaeLoadOptions options) throws IOException {
		List<Path> files = Files.isDirectory(location) ? paramsFiles(location) : List.of(location);
		if(files.isEmpty()) {
			throw new IOException(location + ": no " + PARAMS + " found");
		}
		List<SparseAutoencoder> saes = new ArrayList<>();
		for(Path file : files) {
			saes.add(open(file, options));
		}
		return saes;
	}

	/** Checks names, shapes and the small tensors now; maps W_enc/W_dec on the first weights() call. */
	private SparseAutoencoder open(Path file, SaeLoadOptions options) throws IOException {
		String source = file.toString();
		String wEncName, wDecName, bEncName, bDecName, thresholdName;
		long dIn, dSae;
		TensorView bEnc, bDec, threshold;
		try(NpzFile npz = NpzFile.open(file)) {
			wEncName = require(npz, "W_enc");
			wDecName = require(npz, "W_dec");
			bEncName = require(npz, "b_enc");
			bDecName = require(npz, "b_dec");
			thresholdName = require(npz, "threshold");
			long[] encShape = npz.shape(wEncName);
			if(encShape.length != 2) {
				SaeChecks.checkShape(source, wEncName, encShape, -1, -1);
			}
			dIn = encShape[0];
			dSae = encShape[1];
			SaeChecks.checkDModel(source, wEncName, dIn, options.dModel());
			SaeChecks.checkShape(source, wDecName, npz.shape(wDecName), dSae, dIn);
			bEnc = npz.tensor(bEncName);
			bDec = npz.tensor(bDecName);
			threshold = npz.tensor(thresholdName);
			SaeChecks.checkShape(source, bEncName, bEnc.shape(), dSae);
			SaeChecks.checkShape(source, bDecName, bDec.shape(), dIn);
			SaeChecks.checkShape(source, thresholdName, threshold.shape(), dSae);
			SaeChecks.checkFinite(source, bEnc);
			SaeChecks.checkFinite(source, bDec);
			SaeChecks.checkFinite(source, threshold);
		}
		String path = file.toAbsolutePath().toString().replace('\\', '/');
		int layer = match(LAYER, path);
		if(layer < 0) {
			layer = options.layer();
		}
		if(layer < 0) {
			throw new IOException(source + ": the layer is not in the path (layer_<L>/...); give it with --sae-layer");
		}
		HookPoint hook = path.contains("-mlp") ? HookPoint.MLP_OUT : HookPoint.RESID_POST;
		String widthLabel = widthLabel(dSae);
		int l0 = match(L0, path);
		String id = "gemma-scope/layer_" + layer + "/width_" + widthLabel + (l0 >= 0 ? "/average_l0_" + l0 : "");
		SaeInfo info = new SaeInfo(id, ID, layer, hook, (int) dIn, (int) dSae, SaeArchitecture.JUMPRELU, file,
				neuronpediaId(dIn, dSae, layer, hook));
		TensorView bEncFinal = bEnc, bDecFinal = bDec, thresholdFinal = threshold;
		return new LazySparseAutoencoder(info, () -> {
			try(NpzFile npz = NpzFile.open(file)) {
				TensorView wEnc = npz.tensor(wEncName);
				TensorView wDec = npz.tensor(wDecName);
				SaeChecks.checkFinite(source, wEnc);
				SaeChecks.checkFinite(source, wDec);
				return new SaeWeights(wEnc, wDec, bEncFinal, bDecFinal, thresholdFinal, 0, false, 1f);
			}
		});
	}

	/** {@code gemma-2-2b/<L>-gemmascope-res-<16k|65k>} for the published Gemma-2-2B residual SAEs, else null. */
	static String neuronpediaId(long dIn, long dSae, int layer, HookPoint hook) {
		boolean published = dIn == GEMMA_2_2B_D_MODEL && hook == HookPoint.RESID_POST && (dSae == 16384 || dSae == 65536);
		return published ? "gemma-2-2b/" + layer + "-gemmascope-res-" + widthLabel(dSae) : null;
	}

	static String widthLabel(long dSae) {
		if(dSae % (1 << 20) == 0) {
			return (dSae >> 20) + "m";
		}
		// Gemma Scope truncates to thousands: 16384 = 16k, 65536 = 65k, 131072 = 131k
		return dSae % 1024 == 0 ? (dSae / 1000) + "k" : Long.toString(dSae);
	}

	private static int match(Pattern pattern, String path) {
		Matcher matcher = pattern.matcher(path);
		int value = -1;
		while(matcher.find()) {
			value = Integer.parseInt(matcher.group(1)); // the innermost occurrence wins
		}
		return value;
	}

	/** SAELens renames a {@code w_} prefix to {@code W_}; accept either spelling. */
	private static String findName(NpzFile npz, String name) {
		if(npz.contains(name)) {
			return name;
		}
		return npz.names().stream().filter(n -> n.equalsIgnoreCase(name)).findFirst().orElse(null);
	}

	private static String require(NpzFile npz, String name) throws IOException {
		String found = findName(npz, name);
		if(found == null) {
			throw new IOException(npz.path() + ": missing tensor '" + name + "' (present: " + npz.names() + ")");
		}
		return found;
	}
}
