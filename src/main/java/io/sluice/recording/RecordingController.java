package io.sluice.recording;

import io.sluice.engine.stream.StreamKey;
import io.sluice.recording.RecordingDtos.RecordingDetail;
import io.sluice.recording.RecordingDtos.RecordingPage;
import io.sluice.recording.RecordingDtos.SegmentView;
import io.sluice.recording.RecordingDtos.StartRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@Tag(name = "Recordings", description = "Recorded publishes, their FLV files, start and stop")
@RestController
@RequestMapping("/api")
@PreAuthorize("hasAuthority('SCOPE_recordings')")
class RecordingController {
    static final MediaType FLV = MediaType.parseMediaType("video/x-flv");

    private final RecordingService recordings;
    private final RecordingStore store;
    private final RecordingPaths paths;
    private final RecordingProperties properties;

    RecordingController(RecordingService recordings, RecordingStore store, RecordingPaths paths,
                        RecordingProperties properties) {
        this.recordings = recordings;
        this.store = store;
        this.paths = paths;
        this.properties = properties;
    }

    @Operation(summary = "List recordings", description = "Newest first; filters combine. from/to bound the start "
            + "time (ISO-8601 instants, from inclusive, to exclusive).")
    @GetMapping("/recordings")
    RecordingPage list(@RequestParam(required = false) String app,
                       @Parameter(description = "the stream's public name") @RequestParam(required = false) String stream,
                       @Parameter(description = "stream key label") @RequestParam(required = false) String keyLabel,
                       @RequestParam(required = false) RecordingStatus status,
                       @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
                       @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
                       @RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
                       @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        return store.list(app, stream, keyLabel, status, from, to, page, size);
    }

    @Operation(summary = "One recording with its files")
    @GetMapping("/recordings/{id}")
    RecordingDetail get(@PathVariable long id) {
        return store.detail(id).orElseThrow(() -> notFound(id));
    }

    @Operation(summary = "Download one file of a recording", description = "FLV; Range requests are answered "
            + "with 206 and the requested bytes.")
    @GetMapping("/recordings/{id}/segments/{index}/file")
    ResponseEntity<Resource> download(@PathVariable long id, @PathVariable int index) {
        SegmentView segment = get(id).segments().stream().filter(s -> s.index() == index).findFirst()
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                        "Recording " + id + " has no file " + index + "."));
        if (!segment.complete()) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "File " + index + " of recording " + id
                    + " is still being written.");
        }
        Path file = paths.resolve(segment.path());
        if (!Files.isReadable(file)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "The file of recording " + id + " segment "
                    + index + " is missing on disk.");
        }
        return ResponseEntity.ok()
                .contentType(FLV)
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename(file.getFileName().toString()).build().toString())
                .body(new FileSystemResource(file));
    }

    @Operation(summary = "Delete a recording and its files", description = "Not while it is recording.")
    @DeleteMapping("/recordings/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable long id) throws IOException {
        boolean deleted;
        try {
            deleted = recordings.delete(id);
        } catch (IllegalStateException e) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, e.getMessage());
        }
        if (!deleted) {
            throw notFound(id);
        }
    }

    @Operation(summary = "Start recording a live stream", description = "mode defaults to sluice.recording.mode. "
            + "404 if the stream is not live, 409 if it is being recorded.")
    @PostMapping("/streams/{app}/{name}/recording")
    ResponseEntity<RecordingDetail> start(@PathVariable String app, @PathVariable String name,
                                          @RequestBody(required = false) StartRequest body) {
        RecordingMode mode = body == null || body.mode() == null ? properties.mode() : body.mode();
        long id;
        try {
            id = recordings.start(new StreamKey(app, name), RecordingTrigger.API, mode, null);
        } catch (RecordingService.NotLiveException e) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, e.getMessage());
        } catch (RecordingService.AlreadyRecordingException e) {
            ResponseStatusException conflict = new ResponseStatusException(HttpStatus.CONFLICT, e.getMessage());
            conflict.getBody().setProperty("recordingId", e.recordingId);
            throw conflict;
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        } catch (IllegalStateException e) {
            throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
        }
        return ResponseEntity.created(URI.create("/api/recordings/" + id)).body(get(id));
    }

    @Operation(summary = "Stop recording a stream", description = "Waits (up to 10 s) for the last file to be "
            + "finished and returns the recording. 404 if the stream is not being recorded.")
    @DeleteMapping("/streams/{app}/{name}/recording")
    RecordingDetail stop(@PathVariable String app, @PathVariable String name) {
        return recordings.stop(new StreamKey(app, name)).orElseThrow(() -> new ResponseStatusException(
                HttpStatus.NOT_FOUND, "Stream " + app + "/" + name + " is not being recorded."));
    }

    private static ResponseStatusException notFound(long id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "No recording " + id + ".");
    }
}
