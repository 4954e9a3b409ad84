from common import *
random.seed(1)
b=sky("#8cc9ef","#e6f4fb",(980,120,55,"#fff4c2"))
b+=cloud(220,110,1.2)+cloud(640,80,.9)+cloud(880,170,.7)
# far trees line
b+='<path d="M0,360 Q150,330 300,350 T600,345 T900,340 T1200,350 L1200,420 L0,420 Z" fill="#5f9a55"/>'
# river
b+='<path d="M0,470 Q300,440 600,460 T1200,450 L1200,675 L0,675 Z" fill="#6fa9c4"/>'
b+='<path d="M0,520 Q300,500 600,515 T1200,505" stroke="#a9d3e6" stroke-width="4" fill="none" opacity=".7"/><path d="M100,580 Q400,560 700,575 T1200,565" stroke="#a9d3e6" stroke-width="3" fill="none" opacity=".6"/>'
# bank
b+='<path d="M0,410 Q300,395 600,405 T1200,400 L1200,470 Q900,455 600,462 T0,470 Z" fill="#7bb661"/>'
# factory
b+='<g><rect x="640" y="300" width="360" height="120" fill="#eef1f4" stroke="#9aa5b1" stroke-width="2"/><path d="M630,300 L820,240 L1010,300 Z" fill="#b8433a"/>'
for i in range(6): b+=f'<rect x="{665+i*55}" y="330" width="34" height="26" fill="#7aa7c7"/>'
b+='<rect x="940" y="360" width="44" height="60" fill="#6b7785"/><rect x="600" y="250" width="26" height="170" fill="#c9ced4"/><rect x="596" y="245" width="34" height="10" fill="#8e97a1"/>'
b+='<rect x="680" y="385" width="200" height="22" fill="#1f2f4d"/><text x="780" y="401" font-family="Liberation Sans, Arial" font-size="14" fill="#fff" text-anchor="middle">NHÀ MÁY CHẾ BIẾN DỪA</text></g>'
# palms
for x,h,l in [(60,300,-20),(150,260,15),(260,320,-10),(380,250,20),(480,290,-15),(1080,280,-20),(1160,240,10)]:
    b+=palm(x,440,h,l)
# boat with coconuts
b+='<g transform="translate(250,540)"><path d="M0,0 L260,0 L230,40 L30,40 Z" fill="#6b4a2e"/>'
for i in range(14): b+=f'<circle cx="{40+i*14}" cy="{-8-(i%3)*6}" r="9" fill="{["#5d7a2a","#6f8f30","#4f6b24"][i%3]}"/>'
b+='</g>'
open('coconut.svg','w').write(svg(b))
