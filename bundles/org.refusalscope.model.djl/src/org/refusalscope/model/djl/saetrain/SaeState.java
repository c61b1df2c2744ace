package org.refusalscope.model.djl.saetrain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.refusalscope.api.sae.SaeArchitecture;
import org.refusalscope.io.safetensors.SafetensorsFile;
import org.refusalscope.io.safetensors.SafetensorsWriter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Parameters of an SAE in training (on normalised activations), their Adam moments and the dead-latent counters,
 * as NDArrays owned by one manager; saved to and restored from a safetensors checkpoint.
 */
final class SaeState implements AutoCloseable {

	static final String[] PARAMS = {"W_enc", "W_dec", "b_enc", "b_dec", "threshold"};

	final NDManager manager;
	final int dIn;
	final int width;
	final SaeArchitecture architecture;
	/** Parameters by name (threshold only for JumpReLU). */
	final Map<String, NDArray> params = new LinkedHashMap<>();
	final Map<String, NDArray> adamM = new LinkedHashMap<>();
	final Map<String, NDArray> adamV = new LinkedHashMap<>();
	/** Steps since each latent last fired, for AuxK. */
	NDArray stepsSinceFired;
	long step;
	long rowsSeen;
	/** Activations are multiplied by this before training so that their mean norm is sqrt(d_in). */
	float inputScale = 1f;

	SaeState(NDManager manager, int dIn, int width, SaeArchitecture architecture) {
		this.manager = manager;
		this.dIn = dIn;
		this.width = width;
		this.architecture = architecture;
	}

	NDArray p(String name) {
		return params.get(name);
	}

	/**
	 * Fresh parameters: decoder rows random unit vectors, encoder their transpose (Gao et al. 2024), b_enc 0, b_dec the
	 * mean of the (scaled) first chunk, JumpReLU thresholds {@code initialThreshold}. Drawn with java.util.Random so a
	 * seed gives the same SAE on every engine.
	 */
	static SaeState initialise(NDManager manager, int dIn, int width, SaeArchitecture architecture, long seed,
			float[] bDec, float inputScale, float initialThreshold) {
		SaeState state = new SaeState(manager, dIn, width, architecture);
		Random random = new Random(seed);
		float[] dec = new float[width * dIn];
		for(int j = 0; j < width; j++) {
			double norm = 0;
			for(int i = 0; i < dIn; i++) {
				float value = (float) random.nextGaussian();
				dec[j * dIn + i] = value;
				norm += value * value;
			}
			float inverse = (float) (1 / Math.sqrt(norm));
			for(int i = 0; i < dIn; i++) {
				dec[j * dIn + i] *= inverse;
			}
		}
		NDArray wDec = manager.create(dec, new Shape(width, dIn));
		state.params.put("W_enc", wDec.transpose().duplicate());
		state.params.put("W_dec", wDec);
		state.params.put("b_enc", manager.zeros(new Shape(width)));
		state.params.put("b_dec", manager.create(bDec, new Shape(dIn)));
		if(architecture == SaeArchitecture.JUMPRELU) {
			state.params.put("threshold", manager.full(new Shape(width), initialThreshold));
		}
		state.inputScale = inputScale;
		state.initialiseOptimiser();
		return state;
	}

	private void initialiseOptimiser() {
		for(Map.Entry<String, NDArray> entry : params.entrySet()) {
			adamM.put(entry.getKey(), manager.zeros(entry.getValue().getShape()));
			adamV.put(entry.getKey(), manager.zeros(entry.getValue().getShape()));
		}
		stepsSinceFired = manager.zeros(new Shape(width));
	}

	/** Writes everything needed to resume (atomically). */
	void save(Path file) throws IOException {
		SafetensorsWriter writer = new SafetensorsWriter();
		for(Map.Entry<String, NDArray> entry : params.entrySet()) {
			String name = entry.getKey();
			writer.add(name, entry.getValue().getShape().getShape(), entry.getValue().toFloatArray());
			writer.add("adam_m." + name, adamM.get(name).getShape().getShape(), adamM.get(name).toFloatArray());
			writer.add("adam_v." + name, adamV.get(name).getShape().getShape(), adamV.get(name).toFloatArray());
		}
		writer.add("steps_since_fired", new long[] {width}, stepsSinceFired.toFloatArray());
		writer.metadata("step", Long.toString(step)).metadata("rows_seen", Long.toString(rowsSeen))
				.metadata("input_scale", Float.toString(inputScale)).metadata("architecture", architecture.name())
				.metadata("d_in", Integer.toString(dIn)).metadata("width", Integer.toString(width));
		Files.createDirectories(file.toAbsolutePath().getParent());
		writer.write(file);
	}

	static SaeState load(NDManager manager, Path file, int dIn, int width, SaeArchitecture architecture) throws IOException {
		SafetensorsFile checkpoint = SafetensorsFile.open(file);
		try {
			Map<String, String> meta = checkpoint.metadata();
			if(!architecture.name().equals(meta.get("architecture")) || !Integer.toString(dIn).equals(meta.get("d_in"))
					|| !Integer.toString(width).equals(meta.get("width"))) {
				throw new IOException(file + ": checkpoint is for " + meta.get("architecture") + " d_in=" + meta.get("d_in")
						+ " width=" + meta.get("width") + ", not " + architecture + " d_in=" + dIn + " width=" + width
						+ "; start without --resume or use another --out");
			}
			SaeState state = new SaeState(manager, dIn, width, architecture);
			for(String name : PARAMS) {
				if(name.equals("threshold") && architecture != SaeArchitecture.JUMPRELU) {
					continue;
				}
				state.params.put(name, read(manager, checkpoint, name));
				state.adamM.put(name, read(manager, checkpoint, "adam_m." + name));
				state.adamV.put(name, read(manager, checkpoint, "adam_v." + name));
			}
			state.stepsSinceFired = read(manager, checkpoint, "steps_since_fired");
			state.step = Long.parseLong(meta.get("step"));
			state.rowsSeen = Long.parseLong(meta.get("rows_seen"));
			state.inputScale = Float.parseFloat(meta.get("input_scale"));
			return state;
		} finally {
			checkpoint.close();
		}
	}

	private static NDArray read(NDManager manager, SafetensorsFile file, String name) throws IOException {
		var tensor = file.tensor(name);
		return manager.create(tensor.toFloatArray(), new Shape(tensor.shape()));
	}

	@Override
	public void close() {
		manager.close();
	}
}
