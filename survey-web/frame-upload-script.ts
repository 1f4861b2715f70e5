/**
 * The frame page's upload, served as /assets/frame-upload.js (page-scripts.ts). Without it the
 * form posts as any form and the browser shows the reply when the import is over. With it the
 * file is sent by XMLHttpRequest so that the page can show how much has been sent (the upload
 * needs the browser until its last byte) and, from the server's task record, how many rows it
 * has read; the reply, the same page as without script, then replaces the document.
 */
export function frameUploadScript(): string {
  return `(function(){
var f=document.getElementById('frame-upload');if(!f||!window.FormData||!window.XMLHttpRequest)return;
var box=document.getElementById('upload-progress'),bar=box.querySelector('progress'),sent=document.getElementById('upload-sent'),read=document.getElementById('upload-read');
function n(x){return x.toLocaleString('vi-VN')}
f.addEventListener('submit',function(e){
e.preventDefault();
var x=new XMLHttpRequest(),done=false;
box.hidden=false;f.querySelector('button[type=submit]').disabled=true;
sent.textContent='Đang gửi tệp… giữ trang này mở cho đến khi gửi xong.';
function poll(){if(done)return;fetch(f.dataset.progress,{headers:{accept:'application/json'}}).then(function(r){return r.json()}).then(function(j){var t=j.running;if(t&&!done)read.textContent='Máy chủ đã đọc '+n(t.rowsRead)+' dòng'+(t.pass>1?', đang đối chiếu mã hồ sơ trùng':'')+'.'}).catch(function(){}).then(function(){if(!done)setTimeout(poll,1000)})}
x.upload.onprogress=function(ev){if(ev.lengthComputable){var p=Math.floor(100*ev.loaded/ev.total);bar.value=p;sent.textContent='Đang gửi tệp: '+p+' % ('+n(Math.round(ev.loaded/1048576))+' / '+n(Math.round(ev.total/1048576))+' MB). Giữ trang này mở cho đến khi gửi xong.'}};
x.upload.onload=function(){bar.value=100;sent.textContent='Đã gửi xong tệp: máy chủ đọc nốt và ghi kết quả, kể cả khi trình duyệt đóng.'};
x.onload=function(){done=true;document.open();document.write(x.responseText);document.close()};
x.onerror=function(){done=true;f.querySelector('button[type=submit]').disabled=false;sent.textContent='Mất kết nối trong lúc gửi tệp: hãy gửi lại (nếu tệp đã gửi hết, xem kết quả bằng cách tải lại trang).'};
x.open('POST',f.action);x.send(new FormData(f));poll();
});
})();`;
}
