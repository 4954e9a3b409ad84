from common import *
import random; random.seed(11)
b=sky("#9ccbe8","#eaf5fb",(980,110,50,"#fff4c2"))+cloud(260,90,1.1)+cloud(600,130,.8)
b+='<path d="M0,290 L150,190 L300,260 L470,170 L650,250 L820,180 L1000,240 L1200,200 L1200,400 L0,400 Z" fill="#5b7d8c"/>'
b+='<path d="M0,330 Q200,270 420,310 T820,290 T1200,300 L1200,675 L0,675 Z" fill="#6f9c4b"/>'
# roastery
b+='<rect x="760" y="250" width="300" height="110" fill="#f3efe8" stroke="#9a8c7a" stroke-width="2"/><path d="M750,250 L910,205 L1070,250 Z" fill="#6b3e26"/><rect x="1010" y="180" width="22" height="80" fill="#9a8c7a"/>'
b+='<rect x="790" y="272" width="240" height="28" fill="#3b2416"/><text x="910" y="292" font-family="Liberation Sans, Arial" font-size="15" fill="#fff" text-anchor="middle">RANG XAY CÀ PHÊ</text><rect x="840" y="310" width="60" height="50" fill="#8e97a1"/>'
# coffee rows as curved bands of bushes
for row,(y,r) in enumerate([(360,16),(400,20),(450,26),(515,32),(595,40),(690,50)]):
    n=int(1300/(r*1.9))
    for i in range(n):
        x=i*r*1.9+(row%2)*r-10
        yy=y+8*__import__('math').sin(x/180)
        if row==0 and 740<x<1080: continue
        b+=bush(x,yy,r,"#2b5e2b")+bush(x-r*0.3,yy-r*0.35,r*0.6,"#367236")
        for k in range(2 if r<25 else 5):
            cx=x+random.uniform(-r*0.6,r*0.6); cy=yy+random.uniform(-r*0.4,r*0.3)
            b+=f'<circle cx="{cx}" cy="{cy}" r="{max(2.5,r*0.09)}" fill="#c0262d"/>'
# sacks
for i in range(3): b+=f'<path d="M{90+i*70},640 q-8,-50 10,-60 h40 q18,10 10,60 z" fill="#c8b48a" stroke="#8a7650"/>'
open('coffee.svg','w').write(svg(b))
