//! One network for every file and frame in flight, its inputs run together in batches.
//!
//! On a GPU a call on eight inputs costs little more than a call on one: what a call costs is
//! launching its kernels and waiting for them, not the arithmetic. Each engine set runs its
//! own file or frame and asks for one input at a time, so a network shared by the sets sees
//! many single inputs at once. A [`Batcher`] owns the network on a thread of its own; callers
//! hand it an input each and wait. It gathers what arrives until every caller that could ask
//! has asked, the batch is full, or a short wait is over; stacks the inputs of each shape; runs
//! them as one call; and hands each caller its own slice of every output. On the CPU a batch
//! gains nothing, so by default each engine set keeps its own networks there (`Batching`).

use super::{Device, InputShapes};
use anyhow::{anyhow, bail, ensure, Context, Result};
use ndarray::{Array4, ArrayD, Axis};
use ort::{session::Session, value::Tensor};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Whether networks are run per engine set or shared and batched (the report's `batching`;
/// reports before it was recorded: per engine set).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Batching {
    /// Each engine set runs its own networks on one input at a time (the CPU's default).
    #[default]
    PerEngineSet,
    /// The face networks are shared by all engine sets, their inputs batched (a GPU's default).
    AcrossFiles,
}

impl Batching {
    /// `asked` (`--batching`), or else the default for `device`.
    pub fn choose(asked: Option<Self>, device: Device) -> Self {
        asked.unwrap_or(match device {
            Device::Cpu => Self::PerEngineSet,
            Device::Cuda => Self::AcrossFiles,
        })
    }
}

/// A network that runs a batch of inputs of one shape at once.
pub trait BatchNetwork: Send {
    /// The outputs for `batch` (`[N, C, H, W]`), each with the batch as its first axis.
    fn run(&mut self, batch: Array4<f32>) -> Result<Vec<ArrayD<f32>>>;
}

/// An ONNX Runtime session as a batch network: its first `outputs` outputs, copied out.
pub struct SessionNetwork {
    pub session: Session,
    pub outputs: usize,
}

impl BatchNetwork for SessionNetwork {
    fn run(&mut self, batch: Array4<f32>) -> Result<Vec<ArrayD<f32>>> {
        let outputs = self.session.run(ort::inputs![Tensor::from_array(batch)?])?;
        ensure!(outputs.len() >= self.outputs, "the network gave {} outputs, not {}", outputs.len(), self.outputs);
        (0..self.outputs).map(|index| Ok(outputs[index].try_extract_array::<f32>()?.to_owned())).collect()
    }
}

/// How inputs are gathered into batches.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BatchPolicy {
    /// Inputs in one call at most.
    pub max_batch: usize,
    /// How long the first input of a batch waits for others.
    pub gather: Duration,
    /// On a GPU a batch is padded to a power of two (`InputShapes::padded_batch`), so that
    /// batch sizes, like input sides, are a few planned shapes.
    pub shapes: InputShapes,
}

impl BatchPolicy {
    /// The policy for a device's input shapes: a batch waits at most 2 ms for a full load of
    /// 16 (a GPU network call on a 720p frame takes a few milliseconds).
    pub fn for_shapes(shapes: InputShapes) -> Self {
        Self { max_batch: 16, gather: Duration::from_millis(2), shapes }
    }
}

/// One caller's input and where its outputs go.
struct Request {
    input: Array4<f32>,
    reply: mpsc::SyncSender<Result<Vec<ArrayD<f32>>, String>>,
}

/// A shared network on a thread of its own. Callers reach it through [`BatchClient`]s; the
/// thread ends, dropping the network, when the batcher and every client are dropped.
pub struct Batcher {
    requests: Sender<Request>,
    clients: Arc<AtomicUsize>,
}

impl Batcher {
    /// Starts a thread running `network`.
    pub fn start(network: impl BatchNetwork + 'static, policy: BatchPolicy) -> Result<Self> {
        ensure!(policy.max_batch >= 1, "a batch holds at least one input");
        let (requests, received) = mpsc::channel();
        let clients = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&clients);
        std::thread::Builder::new()
            .name("phi-redact-batches".into())
            .spawn(move || serve(network, received, &counted, policy))
            .context("cannot start the thread that batches network inputs")?;
        Ok(Self { requests, clients })
    }

    /// A new caller: a batch goes as soon as every client has asked.
    pub fn client(&self) -> BatchClient {
        self.clients.fetch_add(1, Ordering::SeqCst);
        BatchClient { requests: self.requests.clone(), clients: Arc::clone(&self.clients) }
    }
}

/// A caller's handle on a shared network, counted among those that may ask at once (a clone
/// is one more).
pub struct BatchClient {
    requests: Sender<Request>,
    clients: Arc<AtomicUsize>,
}

impl Clone for BatchClient {
    fn clone(&self) -> Self {
        self.clients.fetch_add(1, Ordering::SeqCst);
        Self { requests: self.requests.clone(), clients: Arc::clone(&self.clients) }
    }
}

impl Drop for BatchClient {
    fn drop(&mut self) {
        self.clients.fetch_sub(1, Ordering::SeqCst);
    }
}

impl BatchClient {
    /// The network's outputs for `input` (a batch of one), each with a batch axis of one, run
    /// in one call with whatever other callers asked for meanwhile.
    pub fn run(&self, input: Array4<f32>) -> Result<Vec<ArrayD<f32>>> {
        ensure!(input.shape()[0] == 1, "a batched network takes one input at a time, not {}", input.shape()[0]);
        let (reply, outputs) = mpsc::sync_channel(1);
        let stopped = || anyhow!("the shared network stopped (an earlier call failed inside it)");
        self.requests.send(Request { input, reply }).map_err(|_| stopped())?;
        outputs.recv().map_err(|_| stopped())?.map_err(|why| anyhow!("batched inference failed: {why}"))
    }
}

/// The batcher's thread: gathers requests into batches and runs them until every client is gone.
fn serve(mut network: impl BatchNetwork, received: Receiver<Request>, clients: &AtomicUsize, policy: BatchPolicy) {
    while let Ok(first) = received.recv() {
        let mut gathered = vec![first];
        let deadline = Instant::now() + policy.gather;
        while gathered.len() < policy.max_batch && gathered.len() < clients.load(Ordering::SeqCst) {
            match received.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(request) => gathered.push(request),
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
            }
        }
        for batch in by_shape(gathered) {
            run_batch(&mut network, batch, policy.shapes);
        }
    }
}

/// Requests grouped by input shape, each group in the order they arrived.
fn by_shape(requests: Vec<Request>) -> impl Iterator<Item = Vec<Request>> {
    let mut groups: BTreeMap<Vec<usize>, Vec<Request>> = BTreeMap::new();
    for request in requests {
        groups.entry(request.input.shape().to_vec()).or_default().push(request);
    }
    groups.into_values()
}

/// Runs one batch of same-shaped requests and answers each, with its outputs or the error.
fn run_batch(network: &mut impl BatchNetwork, batch: Vec<Request>, shapes: InputShapes) {
    let inputs: Vec<&Array4<f32>> = batch.iter().map(|request| &request.input).collect();
    match stacked(&inputs, shapes).and_then(|stack| network.run(stack)).and_then(|outputs| split(outputs, batch.len())) {
        Ok(per_request) => {
            for (request, outputs) in batch.into_iter().zip(per_request) {
                // A caller that has gone away no longer needs its answer.
                let _ = request.reply.send(Ok(outputs));
            }
        }
        Err(why) => {
            let why = format!("{why:#}");
            for request in batch {
                let _ = request.reply.send(Err(why.clone()));
            }
        }
    }
}

/// The inputs (batches of one, all of one shape) stacked, with blank slots after them to the
/// batch size `shapes` pads to.
fn stacked(inputs: &[&Array4<f32>], shapes: InputShapes) -> Result<Array4<f32>> {
    let Some(first) = inputs.first() else { bail!("an empty batch") };
    let (_, planes, height, width) = first.dim();
    let mut stack = Array4::<f32>::zeros((shapes.padded_batch(inputs.len()), planes, height, width));
    for (mut slot, input) in stack.outer_iter_mut().zip(inputs) {
        slot.assign(&input.index_axis(Axis(0), 0));
    }
    Ok(stack)
}

/// Each output cut along its batch axis: the outputs of the first `count` slots, each with a
/// batch axis of one.
fn split(outputs: Vec<ArrayD<f32>>, count: usize) -> Result<Vec<Vec<ArrayD<f32>>>> {
    for output in &outputs {
        ensure!(output.ndim() >= 1 && output.shape()[0] >= count, "an output of shape {:?} for a batch of {count}", output.shape());
    }
    Ok((0..count).map(|slot| outputs.iter().map(|output| output.slice_axis(Axis(0), (slot..=slot).into()).to_owned()).collect()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Doubles its input, and sums each slot's input as a second output; records each batch's size.
    struct Doubler {
        batch_sizes: Arc<Mutex<Vec<usize>>>,
    }

    impl BatchNetwork for Doubler {
        fn run(&mut self, batch: Array4<f32>) -> Result<Vec<ArrayD<f32>>> {
            self.batch_sizes.lock().unwrap().push(batch.shape()[0]);
            let sums = batch.outer_iter().map(|slot| slot.sum()).collect::<Vec<f32>>();
            let sums = ArrayD::from_shape_vec(vec![sums.len(), 1], sums)?;
            Ok(vec![(&batch * 2.0).into_dyn(), sums])
        }
    }

    fn doubler(policy: BatchPolicy) -> (Batcher, Arc<Mutex<Vec<usize>>>) {
        let batch_sizes = Arc::new(Mutex::new(Vec::new()));
        (Batcher::start(Doubler { batch_sizes: Arc::clone(&batch_sizes) }, policy).unwrap(), batch_sizes)
    }

    /// Waits long enough that only the callers' count, or a full batch, ends a gathering.
    fn patient(max_batch: usize, shapes: InputShapes) -> BatchPolicy {
        BatchPolicy { max_batch, gather: Duration::from_secs(600), shapes }
    }

    fn filled(value: f32, side: usize) -> Array4<f32> {
        Array4::from_elem((1, 3, side, side), value)
    }

    /// Each caller on its own thread, as the engine sets are; returns each one's outputs.
    fn ask_together(batcher: &Batcher, inputs: Vec<Array4<f32>>) -> Vec<Result<Vec<ArrayD<f32>>>> {
        let clients: Vec<BatchClient> = inputs.iter().map(|_| batcher.client()).collect();
        std::thread::scope(|scope| {
            let asking: Vec<_> = clients.into_iter().zip(inputs).map(|(client, input)| scope.spawn(move || client.run(input))).collect();
            asking.into_iter().map(|thread| thread.join().unwrap()).collect()
        })
    }

    #[test]
    fn callers_asking_together_share_one_call_and_each_gets_its_own_outputs() {
        let (batcher, batch_sizes) = doubler(patient(16, InputShapes::Aligned));
        let answers = ask_together(&batcher, (0..6).map(|caller| filled(caller as f32, 4)).collect());
        assert_eq!(*batch_sizes.lock().unwrap(), [6]);
        for (caller, answer) in answers.into_iter().enumerate() {
            let outputs = answer.unwrap();
            assert_eq!(outputs[0].shape(), [1, 3, 4, 4]);
            assert!(outputs[0].iter().all(|&value| value == 2.0 * caller as f32), "caller {caller}");
            assert_eq!(outputs[1].as_slice().unwrap(), [caller as f32 * 48.0]);
        }
    }

    #[test]
    fn a_lone_caller_is_answered_at_once() {
        // Waiting for callers that do not exist would stall: one client, no wait for others.
        let (batcher, batch_sizes) = doubler(patient(16, InputShapes::Aligned));
        let client = batcher.client();
        for value in [1.0, 2.0] {
            assert!(client.run(filled(value, 2)).unwrap()[0].iter().all(|&doubled| doubled == 2.0 * value));
        }
        assert_eq!(*batch_sizes.lock().unwrap(), [1, 1]);
    }

    #[test]
    fn inputs_of_different_shapes_run_in_separate_calls() {
        let (batcher, batch_sizes) = doubler(patient(16, InputShapes::Aligned));
        let answers = ask_together(&batcher, vec![filled(1.0, 4), filled(2.0, 8), filled(3.0, 4)]);
        let mut sizes = batch_sizes.lock().unwrap().clone();
        sizes.sort();
        assert_eq!(sizes, [1, 2]);
        let shapes: Vec<Vec<usize>> = answers.into_iter().map(|answer| answer.unwrap()[0].shape().to_vec()).collect();
        assert_eq!(shapes, [vec![1, 3, 4, 4], vec![1, 3, 8, 8], vec![1, 3, 4, 4]]);
    }

    #[test]
    fn a_batch_never_exceeds_its_limit() {
        let policy = BatchPolicy { gather: Duration::from_millis(20), ..patient(2, InputShapes::Aligned) };
        let (batcher, batch_sizes) = doubler(policy);
        let answers = ask_together(&batcher, (0..5).map(|caller| filled(caller as f32, 2)).collect());
        assert!(answers.iter().all(Result::is_ok));
        let sizes = batch_sizes.lock().unwrap().clone();
        assert_eq!(sizes.iter().sum::<usize>(), 5);
        assert!(sizes.iter().all(|&size| size <= 2), "{sizes:?}");
    }

    #[test]
    fn on_a_gpu_a_batch_is_padded_to_a_power_of_two_with_blank_slots() {
        let (batcher, batch_sizes) = doubler(patient(16, InputShapes::FewFixed));
        let answers = ask_together(&batcher, (1..=3).map(|caller| filled(caller as f32, 2)).collect());
        assert_eq!(*batch_sizes.lock().unwrap(), [4]);
        let sums: Vec<f32> = answers.into_iter().map(|answer| answer.unwrap()[1][[0, 0]]).collect();
        assert_eq!(sums, [12.0, 24.0, 36.0]);
    }

    struct Failing;

    impl BatchNetwork for Failing {
        fn run(&mut self, _: Array4<f32>) -> Result<Vec<ArrayD<f32>>> {
            bail!("out of device memory")
        }
    }

    #[test]
    fn a_failed_call_fails_every_caller_in_it() {
        let batcher = Batcher::start(Failing, patient(16, InputShapes::Aligned)).unwrap();
        for answer in ask_together(&batcher, vec![filled(1.0, 2), filled(2.0, 2), filled(3.0, 2)]) {
            let why = format!("{:#}", answer.unwrap_err());
            assert!(why.contains("batched inference failed: out of device memory"), "{why}");
        }
    }

    struct Panicking;

    impl BatchNetwork for Panicking {
        fn run(&mut self, _: Array4<f32>) -> Result<Vec<ArrayD<f32>>> {
            panic!("a bug inside the network")
        }
    }

    #[test]
    fn a_network_that_panics_is_an_error_for_its_callers_and_every_later_one_not_a_hang() {
        let client = Batcher::start(Panicking, patient(16, InputShapes::Aligned)).unwrap().client();
        for _ in 0..2 {
            let why = client.run(filled(1.0, 2)).unwrap_err().to_string();
            assert!(why.contains("the shared network stopped"), "{why}");
        }
    }

    #[test]
    fn an_input_of_more_than_one_is_refused() {
        let (batcher, batch_sizes) = doubler(patient(16, InputShapes::Aligned));
        assert!(batcher.client().run(Array4::zeros((2, 3, 2, 2))).unwrap_err().to_string().contains("one input at a time"));
        assert!(batch_sizes.lock().unwrap().is_empty());
    }

    /// Tells, by its channel closing, that it was dropped.
    struct Watched(#[allow(dead_code)] mpsc::Sender<()>);

    impl BatchNetwork for Watched {
        fn run(&mut self, batch: Array4<f32>) -> Result<Vec<ArrayD<f32>>> {
            Ok(vec![batch.into_dyn()])
        }
    }

    #[test]
    fn the_network_is_let_go_when_the_batcher_and_its_last_client_are() {
        let (alive, dropped) = mpsc::channel();
        let batcher = Batcher::start(Watched(alive), patient(16, InputShapes::Aligned)).unwrap();
        let client = batcher.client();
        drop(batcher);
        let second = client.clone();
        drop(client);
        assert!(second.run(filled(1.0, 2)).is_ok());
        drop(second);
        assert!(dropped.recv().is_err(), "the batcher's thread ended and dropped the network");
    }

    #[test]
    fn a_gpu_batches_across_files_and_a_cpu_does_not_unless_asked() {
        assert_eq!(Batching::choose(None, Device::Cpu), Batching::PerEngineSet);
        assert_eq!(Batching::choose(None, Device::Cuda), Batching::AcrossFiles);
        assert_eq!(Batching::choose(Some(Batching::AcrossFiles), Device::Cpu), Batching::AcrossFiles);
    }
}
